// The per-entity records (MemoryLoginState) answer exactly what the generic counter ops
// (OpsLoginState, the Redis path, here over MemoryCounterStore) answer: every decision, reason and
// signal of a simulated world with an attack is replayed through both engines side by side.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GuardEngine, type Attempt } from '../guard.engine.ts';
import { DEFAULT_GUARD_CONFIG } from '../guard.config.ts';
import { ipPrefix } from '../ip-prefix.ts';
import { MemoryCounterStore } from './memory-counter-store.ts';
import { MemoryLoginState } from './memory-login-state.ts';
import { OpsLoginState } from './ops-login-state.ts';
import { generateTraffic } from '../../sim/logins/traffic.ts';
import { families } from '../../sim/logins/sweep.ts';

const DAY = 86_400_000;
const EPOCH = Date.UTC(2026, 0, 5);

describe('login state: records and counter ops agree', () => {
  it('gives the same signals, decisions and recorded results on a world with stuffing, typos and retried results', async () => {
    let now = EPOCH;
    const clock = () => now;
    const knownFor = DEFAULT_GUARD_CONFIG.knownForDays * DAY;
    const fastStore = new MemoryCounterStore(clock);
    const fast = new GuardEngine(fastStore, DEFAULT_GUARD_CONFIG, clock);
    const opsStore = new MemoryCounterStore(clock);
    const ops = new GuardEngine(opsStore, DEFAULT_GUARD_CONFIG, clock, new OpsLoginState(opsStore, knownFor));
    assert.ok(fast.state instanceof MemoryLoginState, 'the memory backend uses the records');
    // A small shop and a multi-day trickle of stuffing, 100 attempts per address with one device id
    // per bot: every counter moves (failures, unknown usernames, successes, windows expiring,
    // sweeps) and every kind of decision is made.
    const trickle = families(3, 1500).find((f) => f.name.startsWith('pacing: trickle'))!.spec;
    const spec = { ...trickle, attemptsPerIp: 100, devices: 'stable' as const };
    const { attempts } = generateTraffic({
      seed: 11,
      customers: 300,
      days: 3,
      loginsPerDay: 0.5,
      breachedPasswordShare: 0.1,
      newDeviceShare: 0.03,
      carrierShare: 0.4,
      travelShare: 0.01,
      warmupDays: 4,
      attacks: [spec],
    });
    let decisions = 0;
    const seen = { allow: 0, challenge: 0, deny: 0 };
    for (let i = 0; i < attempts.length; i++) {
      const x = attempts[i]!;
      now = EPOCH + x.t;
      // Every 50th result is reported twice under one attempt id (a retried call).
      const a: Attempt = {
        account: x.username,
        ip: x.ip,
        prefix: ipPrefix(x.ip)!,
        device: x.device,
        passwordBreached: x.passwordBreached,
        attemptId: i % 50 === 0 ? `a${i}` : undefined,
      };
      const [e1, e2] = [await fast.evaluate(a), await ops.evaluate(a)];
      assert.deepEqual(e1, e2, `attempt ${i}`);
      seen[e1.decision]++;
      decisions++;
      if (e1.decision === 'deny') continue;
      for (let k = 0; k < (a.attemptId ? 2 : 1); k++) assert.deepEqual(await fast.record(a, x.outcome), await ops.record(a, x.outcome), `result ${i}`);
    }
    assert.ok(decisions > 2000, `a world of ${decisions} attempts`);
    assert.ok(seen.allow > 0 && seen.challenge > 0 && seen.deny > 0, JSON.stringify(seen));
  });
});
