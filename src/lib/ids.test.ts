import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from './ids.ts';

describe('ids', () => {
  it('makes prefixed, time-ordered ids whose random parts do not repeat across pool refills', () => {
    const ids = Array.from({ length: 5000 }, () => newId('x'));
    for (const id of ids) assert.match(id, /^x_[0-9a-z]{9}[0-9a-z]{12}$/);
    assert.equal(new Set(ids.map((id) => id.slice(11))).size, ids.length);
    for (let i = 1; i < ids.length; i++) assert.ok(ids[i - 1]!.slice(2, 11) <= ids[i]!.slice(2, 11), 'time prefixes never go back');
    assert.match(newId('req', 8), /^req_[0-9a-z]{17}$/);
    for (const bad of [5000, -1, 2.5]) assert.throws(() => newId('x', bad), RangeError);
  });
});
