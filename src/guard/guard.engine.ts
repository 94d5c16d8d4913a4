// The decision engine: reads the counters for one login attempt, turns them into signals and a
// decision, and records outcomes. It knows nothing about HTTP or personal data: callers pass
// keys that are already keyed hashes (see guard.service.ts).
//
// The central idea: an attacker never holds a device the account has signed in from before,
// while most real sign-ins come from one. So velocity and surge signals gate *unknown devices*,
// and a customer on their usual phone is almost never disturbed, even during an attack.
import type { CounterOp, CounterStore } from './counters/counter-store.ts';
import type { AttemptCounts, LoginState, ResultCounts } from './counters/login-state.ts';
import { MemoryLoginState } from './counters/memory-login-state.ts';
import { MemoryCounterStore } from './counters/memory-counter-store.ts';
import { OpsLoginState } from './counters/ops-login-state.ts';
import type { GuardConfig } from './guard.config.ts';
import { ShopBaseline, hourOfDay } from './shop-baseline.ts';
import { widePrefix } from './ip-prefix.ts';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

export type Decision = 'allow' | 'challenge' | 'deny';
export type Outcome = 'success' | 'failure' | 'unknown_user';

export const REASONS = [
  'ip_failures',
  'prefix_failures',
  'device_failures',
  'ip_many_usernames',
  'prefix_many_usernames',
  'device_many_usernames',
  'ip_unknown_usernames',
  'account_failures',
  'account_locked',
  'ip_blocked',
  'device_blocked',
  'breached_password',
  'surge_new_device',
  'attack_unfamiliar',
  'provider_attacked',
  'counters_unavailable',
] as const;
export type Reason = (typeof REASONS)[number];

/** One attempt, with every identifier already reduced to a key (no personal data). */
export interface Attempt {
  account: string;
  ip: string;
  /** "/24" or "/56" network, kept readable for the "top attacking prefixes" statistics. */
  prefix: string;
  device?: string;
  passwordBreached?: boolean;
  /** Keyed hash of the shop's attempt id: a result reported twice is counted once. */
  attemptId?: string;
}

/**
 * The counts of an attempt (see counters/login-state.ts) and the two shop-level facts: `surge`
 * (fresh devices fail or name unknown users far beyond what real customers do) and
 * `shopUnderAttack` (the shop's unknown-device failures or unknown usernames far exceed its own
 * baseline).
 */
export type Signals = AttemptCounts;

export interface Evaluation {
  decision: Decision;
  reasons: Reason[];
  /** Seconds; only on deny. */
  retryAfter?: number;
  signals: Signals;
}

export interface Recorded {
  /** This attempt's result was already recorded (a retried call): nothing was counted. */
  duplicate: boolean;
  deviceKnown: boolean;
  /** Consecutive failures on the account before this outcome. */
  consecutiveBefore: number;
  surge: boolean;
}

// Global counters over attempts from fresh devices (never signed in to any account, or no device
// id at all) over 10 minutes and an hour (slower attacks are the shop baseline's job). Real customers mostly use devices that have signed in before
// (even when they mistype their username), so this population is where stuffing shows first.
const SURGE_WINDOWS = [10 * MIN, HOUR] as const;
// e: fresh-device attempts evaluated; s: of them, successes; u: of them, unknown usernames.
// Counting evaluations (not only results) matters: bots abandon challenged attempts, so a
// results-only count would calm down as soon as the defence works, and let the attack back in.
// The ops on these global keys are built once and shared by every decision (stores never change ops).
const gOps = (what: 'e' | 's' | 'u', add: number): readonly CounterOp[] =>
  SURGE_WINDOWS.map((w) => ({ kind: 'count', key: `g:${what}:${w}`, windowMs: w, add }));
const NO_OPS: readonly CounterOp[] = [];
const G_ADD = { e: gOps('e', 1), s: gOps('s', 1), u: gOps('u', 1) };
const G_READ = [0, 1].flatMap((i) => (['e', 's', 'u'] as const).map((what) => gOps(what, 0)[i]!));

// Module-level (not closures inside decide): nothing is allocated per decision.
const tightened = (v: number, limit: number, f: number) => v >= Math.max(1, Math.round(limit * f));
const atLeast = (v: number, limit: number) => v >= limit;

/**
 * What the attempt's provider-sized network looks like over the last hour, from its attempts on
 * devices their account did not know that did not succeed — what stuffing is made of; real
 * customers' new phones mostly succeed — against the distinct accounts that signed in through it
 * (padding with a few own accounts' sign-ins does not help an attacker): `attacked` beyond
 * `providerAttackedUnsuccessfulPerSuccess` per account, with three Poisson deviations of slack (a
 * quiet provider's typos do not raise the alarm); `regular` when the shop's regular customers use
 * it (`providerRegularAccountsDay` signed in on their own devices in a day) and it stays within
 * `providerCalmUnsuccessfulPerSuccess` per account, with no slack (no free failures for a thin
 * spread of proxies); `other` in between, or a provider the shop's customers do not use.
 */
function providerState(s: Signals, t: GuardConfig['thresholds']): 'attacked' | 'regular' | 'other' {
  const unsuccessful = Math.max(0, s.providerUnknownDeviceAttemptsHour - s.providerUnknownDeviceSuccessesHour);
  const accounts = s.providerSuccessfulAccountsHour;
  const attackedAt = t.providerAttackedUnsuccessfulPerSuccess * accounts;
  if (unsuccessful > attackedAt + 3 * Math.sqrt(attackedAt + 1)) return 'attacked';
  const calmAt = t.providerCalmUnsuccessfulPerSuccess * accounts;
  if (s.providerRegularAccountsDay >= t.providerRegularAccountsDay && unsuccessful <= calmAt) return 'regular';
  return 'other';
}

/** The 4-hour block of the day: a customer's habit (evenings, lunch breaks), not a clock reading. */
const timeBlock = (now: number) => Math.floor(hourOfDay(now) / 4);

export class GuardEngine {
  readonly shop: ShopBaseline;
  /** Per-attempt counters: records in this process with the memory backend, counter ops on a shared one. */
  readonly state: LoginState;
  constructor(
    private readonly store: CounterStore,
    private readonly cfg: GuardConfig,
    private readonly clock: () => number = Date.now,
    state?: LoginState,
  ) {
    this.shop = new ShopBaseline(store, cfg.shopBaseline, clock);
    const knownFor = cfg.knownForDays * DAY;
    this.state = state ?? (store instanceof MemoryCounterStore ? new MemoryLoginState(store, knownFor, clock) : new OpsLoginState(store, knownFor));
  }

  private surgeAt = -Infinity;
  private surgeState = false;
  /** The surge state, read from the shared counters at most once a second per node (like the shop state). */
  private surgeNow(): boolean | Promise<boolean> {
    const now = this.clock();
    if (now - this.surgeAt < 1000) return this.surgeState;
    this.surgeAt = now;
    return this.store.apply(G_READ).then((v) => (this.surgeState = this.surgeFrom(v)));
  }

  /** Whether fresh-device attempts fail (or name unknown users) far more than usual. */
  private surgeFrom(v: number[]): boolean {
    const s = this.cfg.surge;
    const mins = [s.minAttempts10m, s.minAttemptsHour];
    for (let i = 0; i < SURGE_WINDOWS.length; i++) {
      const e = v[i * 3]!;
      const ok = v[i * 3 + 1]!;
      const u = v[i * 3 + 2]!;
      if (e >= mins[i]! && (1 - ok / e >= s.failureShare || u / e >= s.unknownUserShare)) return true;
    }
    return false;
  }

  evaluate(a: Attempt): Promise<Evaluation> {
    // The three reads start together (one round trip each on a shared store). With the memory
    // backend and fresh shop-wide states nothing waits: the decision is made synchronously, with
    // no async frame or chain of promises per call (one resolved promise for the caller).
    const wide = widePrefix(a.prefix);
    const counts = this.state.read(a, wide, timeBlock(this.clock()));
    const shop = this.shop.current();
    const surge = this.surgeNow();
    if (counts instanceof Promise || shop instanceof Promise || surge instanceof Promise)
      return Promise.all([counts, shop, surge]).then(([c, sh, su]) => this.evaluated(a, wide, c, sh.underAttack, su));
    return this.evaluated(a, wide, counts, shop.underAttack, surge);
  }

  /** Counts the attempt in the shop-wide windows and decides. */
  private evaluated(a: Attempt, wide: string, c: AttemptCounts, shopUnderAttack: boolean, surge: boolean): Promise<Evaluation> {
    c.surge = surge;
    c.shopUnderAttack = shopUnderAttack;
    const fresh = a.device === undefined || !c.deviceSeen;
    // One customer retrying a forgotten password is one event for the shop-wide picture, not
    // eight: only attempts that open a new run on their account count (a bot rotating over
    // accounts opens one with every attempt).
    const opensRun = !c.deviceKnown && c.accountConsecutive === 0;
    const after = fresh ? (opensRun ? G_ADD.e.concat(this.shop.ops('e')) : G_ADD.e) : opensRun ? this.shop.ops('e') : undefined;
    const e = this.decide(c, a);
    // an attempt on a device its account does not know counts in its provider's picture too
    const shared = after || !c.deviceKnown ? this.state.share(after ?? NO_OPS, c.deviceKnown ? undefined : wide) : undefined;
    return shared ? shared.then(() => e) : Promise.resolve(e);
  }

  /** The rules, in one place (documented in docs/areas/guard.md). */
  decide(s: Signals, a: Pick<Attempt, 'passwordBreached'>): Evaluation {
    const t = this.cfg.thresholds;
    const reasons: Reason[] = [];
    const attack = s.surge || s.shopUnderAttack;
    if (s.deviceKnown) {
      // The account's own device: only an account under sustained guessing asks for more.
      if (s.accountConsecutive >= t.accountConsecutiveKnownDevice) reasons.push('account_failures');
      return { decision: reasons.length ? 'challenge' : 'allow', reasons, signals: s };
    }
    if (s.accountUnknownDeviceFailuresHour >= t.accountFailuresDeny) reasons.push('account_locked');
    const ipAttempts = s.ipFailuresHour + s.ipSuccessesHour;
    if (s.ipFailuresHour >= t.ipFailuresDeny && s.ipFailuresHour / ipAttempts >= t.ipDenyFailureShare) reasons.push('ip_blocked');
    if (s.deviceFailedUsernames >= t.deviceFailedUsernamesDeny) reasons.push('device_blocked');
    if (reasons.length) return { decision: 'deny', reasons, retryAfter: this.cfg.denyRetryAfter, signals: s };

    // While an attack is on, the thresholds that only an attacker moves tighten: failures across
    // a network and usernames tried per address or device. Plain failure counts of one account,
    // address or device do not: those are what one customer retrying a forgotten password moves,
    // while a rotating bot never piles them up anyway.
    const f = attack ? this.cfg.surge.tighten : 1;
    // An address (or network) whose sign-ins mostly succeed is a shared gateway — an office,
    // a carrier NAT — not an attacker: its failures are its many customers' typos.
    const ipHostile = s.ipFailuresHour > s.ipSuccessesHour;
    const pfxHostile = s.prefixFailuresHour > s.prefixSuccessesHour;
    if (ipHostile && atLeast(s.ipFailuresHour, t.ipFailuresHour)) reasons.push('ip_failures');
    if (pfxHostile && tightened(s.prefixFailuresHour, t.prefixFailuresHour, f)) reasons.push('prefix_failures');
    if (atLeast(s.deviceFailuresHour, t.deviceFailuresHour)) reasons.push('device_failures');
    if (ipHostile && tightened(s.ipFailedUsernames, t.ipFailedUsernamesHour, f)) reasons.push('ip_many_usernames');
    if (pfxHostile && tightened(s.prefixFailedUsernames, t.prefixFailedUsernamesHour, f)) reasons.push('prefix_many_usernames');
    if (tightened(s.deviceFailedUsernames, t.deviceFailedUsernamesDay, f)) reasons.push('device_many_usernames');
    if (ipHostile && tightened(s.ipUnknownUsers, t.ipUnknownUsersHour, f)) reasons.push('ip_unknown_usernames');
    if (atLeast(s.accountFailuresHour, t.accountFailuresHour)) reasons.push('account_failures');
    // A new device from a network and provider the account never used must prove itself when it
    // brings a breached password (the stuffing profile itself) — unless it comes through a busy
    // gateway where many customers sign in successfully (carrier NAT, an office).
    const busyGateway = !ipHostile && (s.ipSuccessfulAccountsDay >= 3 || (!pfxHostile && s.prefixSuccessfulAccountsDay >= 5));
    if (!s.networkKnown && !s.wideNetworkKnown && !busyGateway && a.passwordBreached) reasons.push('breached_password');
    // A device that signed in (to any account) from this very network — or, for a name with no
    // history at all, from this provider — is a customer who mistyped their username, not a bot.
    const shopDevice = s.deviceUsedHere || (!s.accountHasHistory && s.deviceUsedInProvider);
    if (attack && !s.networkKnown && !shopDevice) {
      const provider = providerState(s, t);
      // Under attack, whatever its shape, a sign-in new on every axis of the customer's history
      // (device, network, provider) proves itself, even from a clean address with a clean device
      // id: a stolen pair tried from elsewhere always is. Real customers sometimes are too (a new
      // phone on a carrier they rarely use), and they come through the providers the shop's
      // regular customers use, which the attack leaves calm when it is elsewhere: those pass.
      if (!s.wideNetworkKnown) {
        if (provider !== 'regular') reasons.push('attack_unfamiliar');
      } else if (!busyGateway) {
        // Inside a provider the customer uses, a new device on a new network proves itself when
        // the attack is inside that provider (its unknown devices fail more often than its
        // customers sign in), or at
        // a time of day they never sign in with a breached password — unless the provider is
        // calm and the shop's customers use it (a new phone on the usual carrier passes).
        if (provider === 'attacked') reasons.push('provider_attacked');
        else if (!s.timeKnown && a.passwordBreached && provider !== 'regular') reasons.push('surge_new_device');
      }
    }
    return { decision: reasons.length ? 'challenge' : 'allow', reasons, signals: s };
  }

  record(a: Attempt, outcome: Outcome): Promise<Recorded> {
    const counts = this.state.before(a);
    const surge = this.surgeNow();
    if (counts instanceof Promise || surge instanceof Promise) return Promise.all([counts, surge]).then(([c, su]) => this.recorded(a, outcome, c, su));
    return this.recorded(a, outcome, counts, surge);
  }

  private recorded(a: Attempt, outcome: Outcome, c: ResultCounts, surge: boolean): Promise<Recorded> {
    const deviceKnown = c.deviceKnown;
    if (c.duplicate) return Promise.resolve({ duplicate: true, deviceKnown, consecutiveBefore: c.consecutive, surge });
    const fresh = a.device === undefined || !c.deviceSeen;
    let ops: readonly CounterOp[] = NO_OPS;
    if (outcome !== 'failure') {
      const what = outcome === 'success' ? 's' : 'u';
      if (!deviceKnown) ops = this.shop.ops(what);
      if (fresh) ops = ops.length ? ops.concat(G_ADD[what]) : G_ADD[what];
    }
    const r: Recorded = { duplicate: false, deviceKnown, consecutiveBefore: c.consecutive, surge };
    const written = this.state.write(a, widePrefix(a.prefix), timeBlock(this.clock()), outcome, deviceKnown, ops);
    return written ? written.then(() => r) : Promise.resolve(r);
  }
}
