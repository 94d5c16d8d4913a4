// The mapping file is checked on load, and rows become v1 events by it (no database needed).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseMapping } from './mysql.mapping.ts';
import { isoTime, RowMapper } from './mysql.events.ts';

const mapping = parseMapping(
  JSON.stringify({
    timezone: '+08:00',
    customers: { table: 'member', id: 'id', columns: { name: 'n', phone: 'p', province: 'prov', city: 'city' } },
    refunds: {
      table: 'refund',
      id: 'no',
      columns: { orderId: 'order_no' },
      status: { column: 'state', values: { '0': 'refund.requested', '1': 'refund.completed' } },
    },
  }),
);

describe('mysql mapping file', () => {
  it('names the bad key, and refuses orders without items or an empty mapping', () => {
    assert.throws(() => parseMapping('{"customers":{"table":"m","id":"id","columns":{"name":"n"}}}'), /mapping file: \/customers\/columns\/phone/);
    assert.throws(() => parseMapping('{"customer":{}}'), /mapping file: /);
    assert.throws(() => parseMapping('{"orders":{"table":"o","id":"id","columns":{"customerId":"c","total":"t"}}}'), /orders need orderItems/);
    assert.throws(() => parseMapping('{}'), /maps no table/);
    assert.throws(() => parseMapping('{'), /mapping file is not JSON/);
  });

  it('maps rows to events: wall-clock times in the mapping zone, address only with province and city', () => {
    const m = new RowMapper(mapping);
    const e = m.customer({ id: 7, n: '王芳', p: '13800000007', prov: '广东省', city: null }, 'x', Date.parse('2026-12-01T00:00:00Z'));
    assert.deepEqual(e, { id: 'x', type: 'customer.upserted', at: '2026-12-01T00:00:00.000Z', customerId: '7', name: '王芳', phone: '13800000007' });
    assert.equal(isoTime('2026-12-01 09:30:00.123456', '+08:00'), '2026-12-01T09:30:00.123+08:00');
    assert.equal(isoTime('0000-00-00 00:00:00', '+08:00'), undefined);
  });

  it('makes refund events by status, and none for an update that keeps it or an unmapped value', () => {
    const m = new RowMapper(mapping);
    assert.equal(m.refund({ no: 'R1', order_no: 'O1', state: 1 }, { no: 'R1', order_no: 'O1', state: 0 }, 'x', 0)?.type, 'refund.completed');
    assert.equal(m.refund({ no: 'R1', order_no: 'O1', state: 1 }, { no: 'R1', order_no: 'O1', state: 1 }, 'x', 0), null);
    assert.equal(m.refund({ no: 'R1', order_no: 'O1', state: 9 }, undefined, 'x', 0), null);
  });
});
