// The goal, at small scale. Random-parameter worlds (seeds change every attack parameter:
// rotation, spread, device ids, unknown usernames, pacing, valid pairs) and a few sweep families:
// fanzha has at least 10× fewer takeovers than the better baseline and denies no customer. The
// share of customers challenged depends on how much of the period is under attack and on how
// much history customers have; in these short worlds (8–10 days of history, attacks over a third
// of the period) it is above the 1 % goal, so the test holds the measured level (≤ 4 %) to catch
// regressions rather than claim the goal (bench/RESULTS.md shows the sweep at full size).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runEvaluation, formatReport, type EvaluationReport } from './evaluate.ts';
import { runSweep, formatSweep } from './sweep.ts';
import { generateTraffic, randomAttacks } from './traffic.ts';
import { Rng } from './random.ts';

describe('login protection evaluation (small scale)', () => {
  it('stops ≥ 10× more takeovers than the better baseline across random-parameter worlds, denying no customer', async () => {
    const worlds = [
      { seed: 11, customers: 1200, days: 4 },
      { seed: 23, customers: 1200, days: 4 },
      { seed: 37, customers: 1000, days: 5, attacks: 6, loginsPerDay: 1 },
    ];
    const reports: EvaluationReport[] = [];
    for (const w of worlds) {
      const r = await runEvaluation({ ...w, warmupDays: 10 });
      reports.push(r);
      const f = r.results[0]!;
      assert.equal(f.defender, 'fanzha');
      assert.ok(f.legitChallenged <= 0.04 * f.legitAttempts, `seed ${w.seed}: legit challenged ${f.legitChallenged}/${f.legitAttempts}\n${formatReport(r)}`);
      assert.equal(f.legitDenied, 0, `seed ${w.seed}: legit denied\n${formatReport(r)}`);
    }
    const fanzha = reports.reduce((n, r) => n + r.results[0]!.takeovers, 0);
    const best = reports.reduce((n, r) => n + Math.min(r.results[1]!.takeovers, r.results[2]!.takeovers), 0);
    assert.ok(best >= 30, `the worlds must try enough valid pairs for the ratio to mean something (baseline takeovers ${best})`);
    assert.ok(fanzha * 10 <= best, `takeovers: fanzha ${fanzha}, better baseline ${best}\n${reports.map(formatReport).join('\n\n')}`);
  });

  it('stops ≥ 10× more takeovers on sweep families that change what the bots do with addresses and device ids', async () => {
    for (const only of ['base', 'devices: replayed', 'devices: absent', '15-minute burst']) {
      const [r] = await runSweep({ seed: 3, customers: 1000, days: 3, warmupDays: 8, attackScale: 3, only });
      assert.ok(r, only);
      const best = Math.min(...r.baselines.map((b) => b.takeovers));
      assert.ok(best >= 10, `${only}: enough valid pairs (${best})`);
      assert.ok(r.fanzha.takeovers * 10 <= best, formatSweep([r]));
      assert.equal(r.fanzha.legitDenied, 0, formatSweep([r]));
      assert.ok(r.fanzha.legitChallenged <= 0.04 * r.fanzha.legitAttempts, formatSweep([r]));
    }
  });

  it('generates the traffic the parameters describe', () => {
    const r = new Rng(5);
    const t = generateTraffic({
      seed: 5,
      customers: 300,
      days: 3,
      loginsPerDay: 0.5,
      breachedPasswordShare: 0.1,
      newDeviceShare: 0.03,
      warmupDays: 2,
      attacks: randomAttacks(r, 3, 150),
    });
    const legit = t.attempts.filter((a) => a.actor === 'legit');
    assert.ok(legit.some((a) => a.outcome === 'failure') && legit.some((a) => a.outcome === 'unknown_user'));
    // attempts are in time order
    for (let i = 1; i < t.attempts.length; i++) assert.ok(t.attempts[i]!.t >= t.attempts[i - 1]!.t);
    // rotation and devices as asked: 20 attempts per address, no device ids, 1 % valid, 70 % unknown
    const spec = {
      attempts: 4000,
      startAt: 3_600_000,
      durationMs: 6 * 3_600_000,
      bursts: 1,
      attemptsPerIp: 20,
      prefixes: 0,
      providers: 0,
      customerProviders: false,
      ipv6Share: 0,
      devices: 'absent' as const,
      unknownShare: 0.7,
      validShare: 0.01,
    };
    const one = generateTraffic({
      seed: 6,
      customers: 300,
      days: 1,
      loginsPerDay: 0.5,
      breachedPasswordShare: 0.1,
      newDeviceShare: 0.03,
      warmupDays: 0,
      attacks: [spec],
    });
    const attack = one.attempts.filter((a) => a.actor === 'attack');
    assert.equal(attack.length, 4000);
    const perIp = new Map<string, number>();
    for (const a of attack) perIp.set(a.ip, (perIp.get(a.ip) ?? 0) + 1);
    assert.equal(perIp.size, 200);
    assert.ok(attack.every((a) => a.device === undefined));
    const valid = attack.filter((a) => a.outcome === 'success').length / attack.length;
    const unknown = attack.filter((a) => a.outcome === 'unknown_user').length / attack.length;
    assert.ok(valid > 0.005 && valid < 0.015, `valid ${valid}`);
    assert.ok(unknown > 0.66 && unknown < 0.74, `unknown ${unknown}`);
    assert.ok(attack.every((a) => a.t >= spec.startAt && a.t < spec.startAt + spec.durationMs));
  });
});
