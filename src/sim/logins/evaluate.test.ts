// The goal, at small scale, over several worlds (seeds change the attack mix, sizes,
// valid-pair shares, device-id habits and start times; one world has more attacks and busier
// customers): fanzha has at least 10× fewer takeovers than the better baseline, challenges at
// most 1 % of legitimate sign-ins and denies none.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runEvaluation, formatReport, type EvaluationReport } from './evaluate.ts';
import { generateTraffic, randomAttacks } from './traffic.ts';
import { Rng } from './random.ts';

describe('login protection evaluation (small scale)', () => {
  it('meets the goal across varied worlds', async () => {
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
      assert.ok(f.legitChallenged <= 0.01 * f.legitAttempts, `seed ${w.seed}: legit challenged ${f.legitChallenged}/${f.legitAttempts}\n${formatReport(r)}`);
      assert.equal(f.legitDenied, 0, `seed ${w.seed}: legit denied\n${formatReport(r)}`);
    }
    const fanzha = reports.reduce((n, r) => n + r.results[0]!.takeovers, 0);
    const best = reports.reduce((n, r) => n + Math.min(r.results[1]!.takeovers, r.results[2]!.takeovers), 0);
    assert.ok(best >= 30, `the worlds must try enough valid pairs for the ratio to mean something (baseline takeovers ${best})`);
    assert.ok(fanzha * 10 <= best, `takeovers: fanzha ${fanzha}, better baseline ${best}\n${reports.map(formatReport).join('\n\n')}`);
  });

  it('generates the traffic the issue describes', () => {
    const r = new Rng(5);
    const t = generateTraffic({ seed: 5, customers: 300, days: 3, loginsPerDay: 0.5, breachedPasswordShare: 0.1, newDeviceShare: 0.03, warmupDays: 2, attacks: randomAttacks(r, 3, 150) });
    const attack = t.attempts.filter((a) => a.actor === 'attack');
    const legit = t.attempts.filter((a) => a.actor === 'legit');
    assert.ok(legit.some((a) => a.outcome === 'failure') && legit.some((a) => a.outcome === 'unknown_user'));
    // rotation: most attack addresses are used about once
    const perIp = new Map<string, number>();
    for (const a of attack) perIp.set(a.ip, (perIp.get(a.ip) ?? 0) + 1);
    assert.ok([...perIp.values()].filter((n) => n === 1).length > perIp.size / 2);
    const validShare = attack.filter((a) => a.outcome === 'success').length / attack.length;
    assert.ok(validShare >= 0.0005 && validShare <= 0.03, `valid share ${validShare}`);
    // attempts are in time order
    for (let i = 1; i < t.attempts.length; i++) assert.ok(t.attempts[i]!.t >= t.attempts[i - 1]!.t);
  });
});
