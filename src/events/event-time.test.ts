import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseEventTime } from './event-time.ts';

describe('event times', () => {
  it('parses offsets, fractions and Z like Date.parse does', () => {
    for (const s of ['2016-07-14T10:21:00+08:00', '2016-07-14T02:21:00Z', '2016-07-14T10:21+0800', '2016-07-13T21:21:00.123-05:00', '2024-02-29T00:00:00Z']) {
      assert.deepEqual(parseEventTime(s), { ms: Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) }, s);
    }
  });

  it('agrees with Date.parse on random valid instants', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-02'), max: new Date('2030-01-01'), noInvalidDate: true }),
        fc.integer({ min: -12 * 60, max: 14 * 60 }),
        (d, off) => {
          const local = new Date(d.getTime() + off * 60_000).toISOString().slice(0, 23);
          const sign = off < 0 ? '-' : '+';
          const a = Math.abs(off);
          const s = `${local}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
          assert.deepEqual(parseEventTime(s, Date.parse('2031-01-01')), { ms: d.getTime() });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses times without offset, impossible dates and times, and out-of-range instants', () => {
    for (const s of [
      '2016-07-14T10:21:00',
      '2016-07-14 10:21:00+08:00',
      '2016-02-30T10:00:00Z',
      '2023-02-29T10:00:00Z',
      '2016-13-01T00:00:00Z',
      '2016-07-14T24:00:00Z',
      '2016-07-14T10:60:00Z',
      '2016-07-14T10:00:00+15:00',
      '1999-12-31T23:59:59Z',
      '2999-01-01T00:00:00Z',
      'yesterday',
      '',
    ]) {
      assert.ok('error' in parseEventTime(s), s);
    }
  });
});
