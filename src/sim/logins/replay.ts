// Replays one traffic stream through a defender and counts what matters: accounts taken over,
// attack attempts stopped, and customers disturbed. A challenge stops an automated attempt
// (CAPTCHA/OTP) and costs a real customer a step; a deny stops both.
import type { LoginAttempt, Traffic } from './traffic.ts';
import { GuardEngine } from '../../guard/guard.engine.ts';
import { MemoryCounterStore } from '../../guard/counters/memory-counter-store.ts';
import { DEFAULT_GUARD_CONFIG, type GuardConfig } from '../../guard/guard.config.ts';
import { ipPrefix } from '../../guard/ip-prefix.ts';

export interface LoginDefender {
  readonly name: string;
  before(a: LoginAttempt, now: number): Promise<'allow' | 'challenge' | 'deny'>;
  after(a: LoginAttempt, outcome: LoginAttempt['outcome'], now: number): Promise<void>;
}

export interface ReplayResult {
  defender: string;
  takeovers: number;
  attackAttempts: number;
  attackStopped: number;
  legitAttempts: number;
  legitChallenged: number;
  legitDenied: number;
  /** Reason codes behind fanzha's challenges/denials of legitimate attempts (for tuning insight). */
  legitReasons: Record<string, number>;
}

/** Simulated time 0 (the end of the warm-up) on the engine's clock: hours of day are real ones. */
const EPOCH = Date.UTC(2026, 0, 5);

export class FanzhaDefender implements LoginDefender {
  readonly name = 'fanzha';
  private now = EPOCH;
  readonly store = new MemoryCounterStore(() => this.now);
  readonly engine: GuardEngine;
  lastReasons: string[] = [];
  constructor(cfg: GuardConfig = DEFAULT_GUARD_CONFIG) {
    this.engine = new GuardEngine(this.store, cfg, () => this.now);
  }
  private attempt(a: LoginAttempt) {
    return { account: a.username.toLowerCase(), ip: a.ip, prefix: ipPrefix(a.ip) ?? a.ip, device: a.device, passwordBreached: a.passwordBreached };
  }
  async before(a: LoginAttempt, now: number) {
    this.now = EPOCH + now;
    const e = await this.engine.evaluate(this.attempt(a));
    this.lastReasons = e.reasons;
    return e.decision;
  }
  async after(a: LoginAttempt, outcome: LoginAttempt['outcome'], now: number) {
    this.now = EPOCH + now;
    await this.engine.record(this.attempt(a), outcome);
  }
}

export async function replay(traffic: Traffic, d: LoginDefender, onProgress?: (done: number) => void): Promise<ReplayResult> {
  const res: ReplayResult = {
    defender: d.name,
    takeovers: 0,
    attackAttempts: 0,
    attackStopped: 0,
    legitAttempts: 0,
    legitChallenged: 0,
    legitDenied: 0,
    legitReasons: {},
  };
  const taken = new Set<string>();
  let i = 0;
  for (const a of traffic.attempts) {
    const decision = await d.before(a, a.t);
    if (a.warmup) {
      if (decision !== 'deny') await d.after(a, a.outcome, a.t);
      continue;
    }
    if (a.actor === 'attack') {
      res.attackAttempts++;
      if (decision !== 'allow') {
        res.attackStopped++;
        continue;
      }
      await d.after(a, a.outcome, a.t);
      if (a.outcome === 'success') taken.add(a.username);
    } else {
      res.legitAttempts++;
      if (decision !== 'allow' && d instanceof FanzhaDefender) for (const r of d.lastReasons) res.legitReasons[r] = (res.legitReasons[r] ?? 0) + 1;
      if (decision === 'deny') {
        res.legitDenied++;
        continue;
      }
      if (decision === 'challenge') res.legitChallenged++;
      await d.after(a, a.outcome, a.t);
    }
    if (onProgress && ++i % 5000 === 0) onProgress(i);
  }
  res.takeovers = taken.size;
  return res;
}
