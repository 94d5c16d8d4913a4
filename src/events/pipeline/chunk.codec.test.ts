import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { EventNormalizer, isProblem, type NormalizedEvent } from '../events.normalize.ts';
import { FieldCipher, DerivedKeyRing } from '../../vault/field-cipher.ts';
import { packEvents, unpackEvents } from './chunk.codec.ts';

const at = '2026-07-14T02:21:00+08:00';
const raw = [
  {
    id: 'e1',
    type: 'customer.upserted',
    at,
    customerId: 'c1',
    name: '刘小明',
    phone: '13812345678',
    email: 'A@b.cn',
    address: { province: '广东省', city: '深圳市', line: '1号' },
    lang: 'zh-CN',
  },
  { id: 'e2', type: 'customer.upserted', at, customerId: 'c2', name: '王芳', phone: '13912345678' },
  { id: 'e3', type: 'principal.upserted', at, principalId: 'p1', kind: 'staff', name: '王芳', team: '售后' },
  { id: 'e4', type: 'order.placed', at, orderId: 'o1', customerId: 'c1', items: [{ sku: 'A', title: 't', price: 1, quantity: 2 }], total: 2, currency: 'USD' },
  { id: 'e5', type: 'refund.requested', at, refundId: 'r1', orderId: 'o1', reason: '不想要了' },
  { id: 'e6', type: 'refund.completed', at, refundId: 'r1', orderId: 'o1' },
  {
    id: 'e7',
    type: 'data.accessed',
    at,
    principalId: 'p1',
    customerId: 'c1',
    orderId: 'o1',
    fields: ['name', 'phone'],
    channel: 'console',
    purpose: 'support',
    ip: '203.0.113.1',
  },
  { id: 'e8', type: 'export.created', at, exportId: 'x1', principalId: 'p1', orderIds: ['o1', 'o2', 'o1'], fields: ['address'] },
  { id: 'e9', type: 'login.failed', at, username: 'Bob', ip: '203.0.113.2', deviceId: 'd', userAgent: 'ua' },
  { id: 'e10', type: 'login.succeeded', at, customerId: 'c1' },
];

describe('chunk codec', () => {
  it('packs and unpacks every kind of normalised event unchanged, in order', () => {
    const n = new EventNormalizer(new FieldCipher(new DerivedKeyRing(randomBytes(32))));
    const events = raw.map((r) => n.normalize(r, 1_700_000_000_000)).filter((e): e is NormalizedEvent => !isProblem(e));
    assert.equal(events.length, raw.length);
    const packed = packEvents(events);
    assert.ok(
      packed.every((v) => v === null || typeof v !== 'object'),
      'only column values cross the thread boundary',
    );
    assert.deepEqual(unpackEvents(structuredClone(packed)), events);
    assert.deepEqual(unpackEvents([]), []);
  });
});
