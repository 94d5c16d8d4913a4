import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AccessIndex } from './access-index.ts';
import { burstHours, burstyPrincipals } from './read-bursts.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 1);

/** An index over 60 days: a steady reader, a nightly batch job, and whatever `extra` adds. */
function shop(extra: (push: (p: string, at: number) => void) => void, fold = true): AccessIndex {
  const idx = new AccessIndex();
  let n = 0;
  const push = (principal: string, at: number) => idx.append({ principal, customer: `c${n % 500}`, order: `o${n++}`, fields: 3, at, channel: 'api' });
  for (let d = 0; d < 60; d++) {
    // eight reads an hour in office hours
    for (let h = 9; h < 18; h++) for (let k = 0; k < 8; k++) push('steady', T0 + d * DAY + h * HOUR + k * 60_000);
    // 300 reads every night at 02:00
    for (let k = 0; k < 300; k++) push('batch', T0 + d * DAY + 2 * HOUR + k * 1000);
  }
  extra(push);
  if (fold) idx.compact(true);
  return idx;
}
const ids = (idx: AccessIndex, set: Set<number>) => [...set].map((p) => idx.principals.id(p)).sort();

describe('read bursts', () => {
  it("flags an hour far above the principal's own busiest hour of the two weeks before, in the window that holds it", () => {
    const idx = shop((push) => {
      for (let k = 0; k < 200; k++) push('steady', T0 + 40 * DAY + 1 * HOUR + k * 1000);
    });
    assert.deepEqual(ids(idx, burstyPrincipals(idx, T0 + 30 * DAY, T0 + 50 * DAY)), ['steady']);
    assert.deepEqual(ids(idx, burstyPrincipals(idx, T0 + 41 * DAY, T0 + 60 * DAY)), []);
    const hours = burstHours(idx).get(idx.principals.get('steady')!)!;
    assert.deepEqual(hours, [T0 + 40 * DAY + HOUR]);
  });

  it('does not flag a surge the principal makes every night, nor one below the floor', () => {
    const idx = shop((push) => {
      // twice the usual night is below three times the busiest hour; 25 reads is below 30
      for (let k = 0; k < 300; k++) push('batch', T0 + 45 * DAY + 3 * HOUR + k * 1000);
      for (let k = 0; k < 25; k++) push('quiet', T0 + 45 * DAY + 3 * HOUR + k * 1000);
    });
    assert.deepEqual(ids(idx, burstyPrincipals(idx, T0, T0 + 60 * DAY)), []);
  });

  it('judges no hour whose baseline reaches before the first read held, but does judge a principal first seen later', () => {
    const idx = shop((push) => {
      for (let k = 0; k < 100; k++) push('early', T0 + 3 * DAY + k * 1000);
      for (let k = 0; k < 100; k++) push('newcomer', T0 + 30 * DAY + k * 1000);
    });
    assert.deepEqual(ids(idx, burstyPrincipals(idx, T0, T0 + 60 * DAY)), ['newcomer']);
  });

  it('sees reads appended since the last fold, and answers the same once they are folded in', () => {
    const burst = (push: (p: string, at: number) => void) => {
      for (let k = 0; k < 200; k++) push('steady', T0 + 40 * DAY + HOUR + k * 1000);
    };
    const folded = shop(burst);
    const appended = shop(() => {}, true);
    assert.deepEqual(ids(appended, burstyPrincipals(appended, T0, T0 + 60 * DAY)), []);
    let n = 0;
    burst((principal, at) => appended.append({ principal, customer: `x${n}`, order: `x${n++}`, fields: 3, at, channel: 'api' }));
    assert.deepEqual(ids(appended, burstyPrincipals(appended, T0, T0 + 60 * DAY)), ['steady']);
    assert.deepEqual(burstHours(appended).get(appended.principals.get('steady')!), burstHours(folded).get(folded.principals.get('steady')!));
  });
});
