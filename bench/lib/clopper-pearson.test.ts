import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clopperPearson } from './clopper-pearson.ts';

describe('clopperPearson', () => {
  it('matches the closed forms at 0 and n, and a known interval', () => {
    const [l0, u0] = clopperPearson(0, 3000);
    assert.equal(l0, 0);
    assert.ok(Math.abs(u0 - (1 - Math.pow(0.025, 1 / 3000))) < 1e-9, String(u0));
    const [ln] = clopperPearson(50, 50);
    assert.ok(Math.abs(ln - Math.pow(0.025, 1 / 50)) < 1e-9);
    // 5 of 100: (0.01643, 0.11284) (standard tables)
    const [l, u] = clopperPearson(5, 100);
    assert.ok(Math.abs(l - 0.016431) < 1e-5 && Math.abs(u - 0.112836) < 1e-5, `${l} ${u}`);
  });
});
