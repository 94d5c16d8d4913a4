// The decision engine: reads the counters for one login attempt, turns them into signals and a
// decision, and records outcomes. It knows nothing about HTTP or personal data: callers pass
// keys that are already keyed hashes (see guard.service.ts).
//
// The central idea: an attacker never holds a device the account has signed in from before,
// while most real sign-ins come from one. So velocity and surge signals gate *unknown devices*,
// and a customer on their usual phone is almost never disturbed, even during an attack.
import type { CounterOp, CounterStore } from './counters/counter-store.ts';
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

export interface Signals {
  deviceKnown: boolean;
  /** The account signed in successfully from this /24 (/56) before. */
  networkKnown: boolean;
  /** ... from this wide network (/16, /32: roughly the provider, ASN-like) before. */
  wideNetworkKnown: boolean;
  /** ... at this time of day (4-hour block) before. */
  timeKnown: boolean;
  /** The device signed in successfully to some account from this /24 (/56) before: a customer
   * at home who mistyped their username, not a bot. */
  deviceUsedHere: boolean;
  /** ... from this provider-sized network (/16, /32). */
  deviceUsedInProvider: boolean;
  /** The account has signed in successfully at all (an unknown or mistyped username has not). */
  accountHasHistory: boolean;
  /** Fresh devices fail or name unknown users far beyond what real customers do. */
  surge: boolean;
  /** The shop's unknown-device failures or unknown usernames far exceed its own baseline. */
  shopUnderAttack: boolean;
  accountFailuresHour: number;
  accountConsecutive: number;
  accountUnknownDeviceFailuresHour: number;
  ipFailuresHour: number;
  ipSuccessesHour: number;
  prefixFailuresHour: number;
  prefixSuccessesHour: number;
  deviceFailuresHour: number;
  ipFailedUsernames: number;
  prefixFailedUsernames: number;
  deviceFailedUsernames: number;
  ipUnknownUsers: number;
  /** Distinct accounts that signed in successfully from this IP / prefix in a day. */
  ipSuccessfulAccountsDay: number;
  prefixSuccessfulAccountsDay: number;
}

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

const k = {
  devices: (a: Attempt) => `kd:${a.account}`,
  /** Devices that signed in successfully to any account: "fresh" devices are the others. */
  seenDevice: (a: Attempt) => `kg:${a.device}`,
  networks: (a: Attempt) => `kn:${a.account}`,
  wideNetworks: (a: Attempt) => `kw:${a.account}`,
  times: (a: Attempt) => `kt:${a.account}`,
  acctFail: (a: Attempt) => `af:${a.account}`,
  acctUnknownFail: (a: Attempt) => `au:${a.account}`,
  acctConsec: (a: Attempt) => `ac:${a.account}`,
  ipFail: (a: Attempt) => `if:${a.ip}`,
  ipOk: (a: Attempt) => `is:${a.ip}`,
  ipUsers: (a: Attempt) => `iu:${a.ip}`,
  ipUnknown: (a: Attempt) => `ix:${a.ip}`,
  pfxFail: (a: Attempt) => `pf:${a.prefix}`,
  pfxOk: (a: Attempt) => `ps:${a.prefix}`,
  ipOkAccounts: (a: Attempt) => `ia:${a.ip}`,
  pfxOkAccounts: (a: Attempt) => `pa:${a.prefix}`,
  pfxUsers: (a: Attempt) => `pu:${a.prefix}`,
  devFail: (a: Attempt) => `df:${a.device}`,
  devUsers: (a: Attempt) => `du:${a.device}`,
};
// Global counters over attempts from fresh devices (never signed in to any account, or no device
// id at all) over 10 minutes and an hour (slower attacks are the shop baseline's job). Real customers mostly use devices that have signed in before
// (even when they mistype their username), so this population is where stuffing shows first.
const SURGE_WINDOWS = [10 * MIN, HOUR] as const;
// e: fresh-device attempts evaluated; s: of them, successes; u: of them, unknown usernames.
// Counting evaluations (not only results) matters: bots abandon challenged attempts, so a
// results-only count would calm down as soon as the defence works, and let the attack back in.
const G = (what: 'e' | 's' | 'u', w: number) => `g:${what}:${w}`;

/** The 4-hour block of the day: a customer's habit (evenings, lunch breaks), not a clock reading. */
const timeBlock = (now: number) => String(Math.floor(hourOfDay(now) / 4));

export class GuardEngine {
  readonly shop: ShopBaseline;
  constructor(
    private readonly store: CounterStore,
    private readonly cfg: GuardConfig,
    private readonly clock: () => number = Date.now,
  ) {
    this.shop = new ShopBaseline(store, cfg.shopBaseline, clock);
  }

  private surgeAt = -Infinity;
  private surgeState = false;
  /** The surge state, read from the shared counters at most once a second per node (like the shop state). */
  private async surgeNow(): Promise<boolean> {
    const now = this.clock();
    if (now - this.surgeAt < 1000) return this.surgeState;
    this.surgeAt = now;
    const ops: CounterOp[] = [];
    for (const w of SURGE_WINDOWS) for (const what of ['e', 's', 'u'] as const) ops.push({ kind: 'count', key: G(what, w), windowMs: w, add: 0 });
    this.surgeState = this.surgeFrom(await this.store.apply(ops));
    return this.surgeState;
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

  async evaluate(a: Attempt): Promise<Evaluation> {
    const dev = a.device !== undefined;
    const ops: CounterOp[] = [
      { kind: 'member', key: k.devices(a), member: a.device ?? '-', add: false, ttlMs: 1 },
      { kind: 'member', key: k.networks(a), member: a.prefix, add: false, ttlMs: 1 },
      { kind: 'member', key: k.wideNetworks(a), member: widePrefix(a.prefix), add: false, ttlMs: 1 },
      { kind: 'member', key: k.times(a), member: timeBlock(this.clock()), add: false, ttlMs: 1 },
      { kind: 'count', key: k.acctFail(a), windowMs: HOUR, add: 0 },
      { kind: 'count', key: k.acctConsec(a), windowMs: DAY, add: 0 },
      { kind: 'count', key: k.acctUnknownFail(a), windowMs: HOUR, add: 0 },
      { kind: 'count', key: k.ipFail(a), windowMs: HOUR, add: 0 },
      { kind: 'count', key: k.ipOk(a), windowMs: HOUR, add: 0 },
      { kind: 'count', key: k.pfxFail(a), windowMs: HOUR, add: 0 },
      { kind: 'count', key: k.pfxOk(a), windowMs: HOUR, add: 0 },
      { kind: 'distinct', key: k.ipUsers(a), windowMs: HOUR },
      { kind: 'distinct', key: k.pfxUsers(a), windowMs: HOUR },
      { kind: 'count', key: k.ipUnknown(a), windowMs: HOUR, add: 0 },
      { kind: 'distinct', key: k.ipOkAccounts(a), windowMs: DAY },
      { kind: 'distinct', key: k.pfxOkAccounts(a), windowMs: DAY },
      { kind: 'member', key: dev ? k.seenDevice(a) : 'kg:-', member: '1', add: false, ttlMs: 1 },
      { kind: 'member', key: dev ? k.seenDevice(a) : 'kg:-', member: a.prefix, add: false, ttlMs: 1 },
      { kind: 'member', key: dev ? k.seenDevice(a) : 'kg:-', member: widePrefix(a.prefix), add: false, ttlMs: 1 },
      { kind: 'member', key: k.devices(a), member: '*', add: false, ttlMs: 1 },
      ...(dev
        ? ([
            { kind: 'count', key: k.devFail(a), windowMs: HOUR, add: 0 },
            { kind: 'distinct', key: k.devUsers(a), windowMs: DAY },
          ] as CounterOp[])
        : []),
    ];
    const [v, shop, surge] = await Promise.all([this.store.apply(ops), this.shop.current(), this.surgeNow()]);
    const deviceKnown = dev && v[0] === 1;
    const signals: Signals = {
      deviceKnown,
      networkKnown: v[1] === 1,
      wideNetworkKnown: v[2] === 1,
      timeKnown: v[3] === 1,
      accountFailuresHour: v[4]!,
      accountConsecutive: v[5]!,
      accountUnknownDeviceFailuresHour: v[6]!,
      ipFailuresHour: v[7]!,
      ipSuccessesHour: v[8]!,
      prefixFailuresHour: v[9]!,
      prefixSuccessesHour: v[10]!,
      ipFailedUsernames: v[11]!,
      prefixFailedUsernames: v[12]!,
      ipUnknownUsers: v[13]!,
      ipSuccessfulAccountsDay: v[14]!,
      prefixSuccessfulAccountsDay: v[15]!,
      deviceUsedHere: dev && v[17] === 1,
      deviceUsedInProvider: dev && v[18] === 1,
      accountHasHistory: v[19] === 1,
      deviceFailuresHour: dev ? v[20]! : 0,
      deviceFailedUsernames: dev ? v[21]! : 0,
      surge,
      shopUnderAttack: shop.underAttack,
    };
    const fresh = !dev || v[16] !== 1;
    const after: CounterOp[] = [];
    if (fresh) for (const w of SURGE_WINDOWS) after.push({ kind: 'count', key: G('e', w), windowMs: w, add: 1 });
    // One customer retrying a forgotten password is one event for the shop-wide picture, not
    // eight: only attempts that open a new run on their account count (a bot rotating over
    // accounts opens one with every attempt).
    if (!deviceKnown && signals.accountConsecutive === 0) this.shop.ops('e', after);
    if (after.length) await this.store.apply(after);
    return this.decide(signals, a);
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
    const deny: Reason[] = [];
    if (s.accountUnknownDeviceFailuresHour >= t.accountFailuresDeny) deny.push('account_locked');
    const ipAttempts = s.ipFailuresHour + s.ipSuccessesHour;
    if (s.ipFailuresHour >= t.ipFailuresDeny && s.ipFailuresHour / ipAttempts >= t.ipDenyFailureShare) deny.push('ip_blocked');
    if (s.deviceFailedUsernames >= t.deviceFailedUsernamesDeny) deny.push('device_blocked');
    if (deny.length) return { decision: 'deny', reasons: deny, retryAfter: this.cfg.denyRetryAfter, signals: s };

    // While an attack is on, the thresholds that only an attacker moves tighten: failures across
    // a network and usernames tried per address or device. Plain failure counts of one account,
    // address or device do not: those are what one customer retrying a forgotten password moves,
    // while a rotating bot never piles them up anyway.
    const f = attack ? this.cfg.surge.tighten : 1;
    const over = (v: number, limit: number) => v >= Math.max(1, Math.round(limit * f));
    const overPlain = (v: number, limit: number) => v >= limit;
    // An address (or network) whose sign-ins mostly succeed is a shared gateway — an office,
    // a carrier NAT — not an attacker: its failures are its many customers' typos.
    const ipHostile = s.ipFailuresHour > s.ipSuccessesHour;
    const pfxHostile = s.prefixFailuresHour > s.prefixSuccessesHour;
    if (ipHostile && overPlain(s.ipFailuresHour, t.ipFailuresHour)) reasons.push('ip_failures');
    if (pfxHostile && over(s.prefixFailuresHour, t.prefixFailuresHour)) reasons.push('prefix_failures');
    if (overPlain(s.deviceFailuresHour, t.deviceFailuresHour)) reasons.push('device_failures');
    if (ipHostile && over(s.ipFailedUsernames, t.ipFailedUsernamesHour)) reasons.push('ip_many_usernames');
    if (pfxHostile && over(s.prefixFailedUsernames, t.prefixFailedUsernamesHour)) reasons.push('prefix_many_usernames');
    if (over(s.deviceFailedUsernames, t.deviceFailedUsernamesDay)) reasons.push('device_many_usernames');
    if (ipHostile && over(s.ipUnknownUsers, t.ipUnknownUsersHour)) reasons.push('ip_unknown_usernames');
    if (overPlain(s.accountFailuresHour, t.accountFailuresHour)) reasons.push('account_failures');
    // A new device from a network and provider the account never used must prove itself when it
    // brings a breached password (the stuffing profile itself) — unless it comes through a busy
    // gateway where many customers sign in successfully (carrier NAT, an office).
    const busyGateway = !ipHostile && (s.ipSuccessfulAccountsDay >= 3 || (!pfxHostile && s.prefixSuccessfulAccountsDay >= 5));
    if (!s.networkKnown && !s.wideNetworkKnown && !busyGateway && a.passwordBreached) reasons.push('breached_password');
    // A device that signed in (to any account) from this very network — or, for a name with no
    // history at all, from this provider — is a customer who mistyped their username, not a bot.
    const shopDevice = s.deviceUsedHere || (!s.accountHasHistory && s.deviceUsedInProvider);
    if (attack && !s.networkKnown && !shopDevice) {
      // Under attack, whatever its shape, a sign-in new on every axis of the customer's history
      // (device, network, provider) proves itself, even from a clean address with a clean device
      // id: real customers rarely change all three at once; a stolen pair tried from elsewhere
      // always does. Inside a provider they use, only a new device at a time of day they never
      // sign in, with a breached password, is asked (a new phone on the usual carrier passes).
      if (!s.wideNetworkKnown) reasons.push('attack_unfamiliar');
      else if (!s.timeKnown && a.passwordBreached && !busyGateway) reasons.push('surge_new_device');
    }
    return { decision: reasons.length ? 'challenge' : 'allow', reasons, signals: s };
  }

  async record(a: Attempt, outcome: Outcome): Promise<Recorded> {
    const dev = a.device !== undefined;
    const ttl = this.cfg.knownForDays * DAY;
    const [[dup, known, seen, consec], surge] = await Promise.all([
      this.store.apply([
        { kind: 'member', key: a.attemptId ? `at:${a.attemptId}` : 'at:-', member: '1', add: a.attemptId !== undefined, ttlMs: DAY },
        { kind: 'member', key: k.devices(a), member: a.device ?? '-', add: false, ttlMs: ttl },
        { kind: 'member', key: dev ? k.seenDevice(a) : 'kg:-', member: '1', add: false, ttlMs: ttl },
        { kind: 'count', key: k.acctConsec(a), windowMs: DAY, add: 0 },
      ]),
      this.surgeNow(),
    ]);
    const deviceKnown = dev && known === 1;
    if (a.attemptId && dup === 1) return { duplicate: true, deviceKnown, consecutiveBefore: consec!, surge };
    const fresh = !dev || seen !== 1;
    const ops: CounterOp[] = [];
    if (!deviceKnown && outcome !== 'failure') this.shop.ops(outcome === 'success' ? 's' : 'u', ops);
    if (fresh) {
      for (const w of SURGE_WINDOWS) {
        if (outcome === 'success') ops.push({ kind: 'count', key: G('s', w), windowMs: w, add: 1 });
        if (outcome === 'unknown_user') ops.push({ kind: 'count', key: G('u', w), windowMs: w, add: 1 });
      }
    }
    if (outcome === 'success') {
      ops.push(
        { kind: 'count', key: k.ipOk(a), windowMs: HOUR, add: 1 },
        { kind: 'count', key: k.pfxOk(a), windowMs: HOUR, add: 1 },
        { kind: 'reset', key: k.acctConsec(a) },
        { kind: 'member', key: k.devices(a), member: '*', add: true, ttlMs: ttl },
        { kind: 'member', key: k.networks(a), member: a.prefix, add: true, ttlMs: ttl },
        { kind: 'member', key: k.wideNetworks(a), member: widePrefix(a.prefix), add: true, ttlMs: ttl },
        { kind: 'member', key: k.times(a), member: timeBlock(this.clock()), add: true, ttlMs: ttl },
        { kind: 'distinct', key: k.ipOkAccounts(a), windowMs: DAY, member: a.account },
        { kind: 'distinct', key: k.pfxOkAccounts(a), windowMs: DAY, member: a.account },
      );
      if (dev) {
        ops.push(
          { kind: 'member', key: k.devices(a), member: a.device!, add: true, ttlMs: ttl },
          { kind: 'member', key: k.seenDevice(a), member: '1', add: true, ttlMs: ttl },
          { kind: 'member', key: k.seenDevice(a), member: a.prefix, add: true, ttlMs: ttl },
          { kind: 'member', key: k.seenDevice(a), member: widePrefix(a.prefix), add: true, ttlMs: ttl },
        );
      }
    } else {
      ops.push(
        { kind: 'count', key: k.acctFail(a), windowMs: HOUR, add: 1 },
        { kind: 'count', key: k.acctConsec(a), windowMs: DAY, add: 1 },
        { kind: 'count', key: k.ipFail(a), windowMs: HOUR, add: 1 },
        { kind: 'count', key: k.pfxFail(a), windowMs: HOUR, add: 1 },
        { kind: 'distinct', key: k.ipUsers(a), windowMs: HOUR, member: a.account },
        { kind: 'distinct', key: k.pfxUsers(a), windowMs: HOUR, member: a.account },
      );
      if (!deviceKnown) ops.push({ kind: 'count', key: k.acctUnknownFail(a), windowMs: HOUR, add: 1 });
      if (outcome === 'unknown_user') ops.push({ kind: 'count', key: k.ipUnknown(a), windowMs: HOUR, add: 1 });
      if (dev)
        ops.push({ kind: 'count', key: k.devFail(a), windowMs: HOUR, add: 1 }, { kind: 'distinct', key: k.devUsers(a), windowMs: DAY, member: a.account });
    }
    await this.store.apply(ops);
    return { duplicate: false, deviceKnown, consecutiveBefore: consec!, surge };
  }
}
