// The login state of one node as per-entity records updated in place: one record per account,
// per address, per /24 (/56), per provider-sized network (/16, /32) and per device, each holding
// every counter of that entity. A decision looks up five records instead of building and looking
// up ~45 counter keys, and allocates nothing per counter. The semantics are those of the counter primitives
// (counter-store.ts) exactly: sliding windows of SUB_BUCKETS sub-buckets, exact distinct counts,
// memberships with an expiry — OpsLoginState over MemoryCounterStore answers the same numbers
// (login-state.test.ts). The shop-wide ops the engine passes along go to the counter store.
import { SUB_BUCKETS, bucketMs, type CounterOp } from './counter-store.ts';
import type { MemoryCounterStore } from './memory-counter-store.ts';
import type { AttemptCounts, LoginOutcome, LoginState, LoginSubject, ResultCounts } from './login-state.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const HOUR_B = bucketMs(HOUR);
const DAY_B = bucketMs(DAY);
/** The record sweep runs at most this often, and only after enough calls to amortise it. */
const SWEEP_MS = 60_000;

/** A count or distinct member added at sub-bucket `cur` is in the window until this time. */
const hourUntil = (cur: number) => (cur + SUB_BUCKETS + 1) * HOUR_B;
const dayUntil = (cur: number) => (cur + SUB_BUCKETS + 1) * DAY_B;

const slotOf = (cur: number) => ((cur % SUB_BUCKETS) + SUB_BUCKETS) % SUB_BUCKETS; // also before 1970 (simulations)
/** "No sub-bucket": below any index of a real time, and a small integer (arrays of them stay compact). */
const NONE = -(2 ** 30);

/**
 * An entity's sliding-window counters over one window, as one array of small integers: first the
 * sub-bucket index each of the SUB_BUCKETS slots holds, then per slot one count per counter. The
 * counters share the slots: a slot taken over by a new sub-bucket is cleared for all of them.
 * With a clock that moves forward this drops only counts whose sub-bucket has left the window
 * already, so each sum is what a ring per counter would give. Copied from a template (a fast
 * copy of a packed array) rather than built.
 */
type Windows = number[];
const TEMPLATES = [1, 2, 3].map((cols) => [...new Array<number>(SUB_BUCKETS).fill(NONE), ...new Array<number>(SUB_BUCKETS * cols).fill(0)]);
const windows = (cols: 1 | 2 | 3): Windows => TEMPLATES[cols - 1]!.slice();

function add(w: Windows, cols: number, col: number, cur: number) {
  const s = slotOf(cur);
  const row = SUB_BUCKETS + s * cols;
  if (w[s] !== cur) {
    w[s] = cur;
    for (let c = 0; c < cols; c++) w[row + c] = 0;
  }
  w[row + col]!++;
}

function sum(w: Windows | undefined, cols: number, col: number, cur: number): number {
  if (w === undefined) return 0;
  const from = cur - SUB_BUCKETS;
  let n = 0;
  for (let s = 0; s < SUB_BUCKETS; s++) if (w[s]! > from) n += w[SUB_BUCKETS + s * cols + col]!;
  return n;
}

/** Up to this many members a distinct count is two small arrays; beyond, a Map. */
const SMALL = 8;

/**
 * Distinct members seen in a sliding window (exact), as MemoryCounterStore counts them: each
 * member with the last sub-bucket it was seen in, pruned when the oldest leaves the window.
 * Most addresses and devices see a handful of accounts, so small sets are two arrays.
 */
class Distinct {
  private keys: string[];
  private idx: number[];
  private map?: Map<string, number>;
  private oldest: number;
  /** A set made with its first member (arrays sized to what they hold). */
  constructor(cur: number, member: string) {
    this.oldest = cur;
    this.keys = [member];
    this.idx = [cur];
  }
  /** Adds `member` (when given) at sub-bucket `cur` and answers the count. */
  size(cur: number, member?: string): number {
    const from = cur - SUB_BUCKETS;
    if (this.oldest <= from) this.prune(from, cur);
    const map = this.map;
    if (map !== undefined) {
      if (member !== undefined) map.set(member, cur);
      return map.size;
    }
    if (member !== undefined) {
      const i = this.keys.indexOf(member);
      if (i >= 0) this.idx[i] = cur;
      else if (this.keys.length < SMALL) {
        this.keys.push(member);
        this.idx.push(cur);
      } else {
        this.map = new Map();
        for (let j = 0; j < this.keys.length; j++) this.map.set(this.keys[j]!, this.idx[j]!);
        this.map.set(member, cur);
        this.keys = [];
        this.idx = [];
        return this.map.size;
      }
    }
    return this.keys.length;
  }
  private prune(from: number, cur: number) {
    let oldest = cur;
    if (this.map !== undefined) {
      for (const [m, i] of this.map) {
        if (i <= from) this.map.delete(m);
        else if (i < oldest) oldest = i;
      }
    } else {
      let j = 0;
      for (let i = 0; i < this.keys.length; i++) {
        const x = this.idx[i]!;
        if (x <= from) continue;
        if (x < oldest) oldest = x;
        this.keys[j] = this.keys[i]!;
        this.idx[j++] = x;
      }
      this.keys.length = j;
      this.idx.length = j;
    }
    this.oldest = oldest;
  }
}

/** `d` with `member` added at sub-bucket `cur` (made with it when there is no set yet). */
function withMember(d: Distinct | undefined, cur: number, member: string): Distinct {
  if (d === undefined) return new Distinct(cur, member);
  d.size(cur, member);
  return d;
}

const has = (m: Map<string, number> | undefined, key: string, now: number) => m !== undefined && (m.get(key) ?? -Infinity) > now;
const prune = (m: Map<string, number> | undefined, now: number) => {
  if (m) for (const [k, until] of m) if (until <= now) m.delete(k);
};

class AccountRecord {
  /** When everything in the record has expired (it can then be dropped). */
  until = 0;
  /** Per hour: 0 failures, 1 failures from devices the account does not know (made at the first failure). */
  hour?: Windows;
  /** Failures since the last success, over a day. */
  consecutive?: Windows;
  /** Until when the account counts as having signed in successfully. */
  historyUntil = -Infinity;
  devices?: Map<string, number>;
  networks?: Map<string, number>;
  wides?: Map<string, number>;
  /** Per 4-hour block of the day, until when it is known (made at the first success). */
  times?: number[];
}

/** An address, a /24 (/56) network or a provider-sized one (/16, /32). */
class NetworkRecord {
  until = 0;
  /**
   * Per hour: 0 failures, 1 successes, 2 unknown usernames (for a provider: 0 attempts on devices
   * their account did not know, evaluated, and 1 their successes).
   */
  readonly hour = windows(3);
  /**
   * Accounts that failed from here in an hour; accounts that signed in from here in a day (for a
   * provider: only those signing in on a device they had used before).
   */
  failedAccounts?: Distinct;
  okAccounts?: Distinct;
  /** For a provider: accounts that signed in through it in an hour (any device). */
  okAccountsHour?: Distinct;
}

class DeviceRecord {
  until = 0;
  /** Per hour: failures (made at the first failure). */
  hour?: Windows;
  /** Accounts that failed from this device in a day. */
  failedAccounts?: Distinct;
  /** Until when the device counts as having signed in to some account; where it did. */
  seenUntil = -Infinity;
  prefixes?: Map<string, number>;
  wides?: Map<string, number>;
}

export class MemoryLoginState implements LoginState {
  private readonly accounts = new Map<string, AccountRecord>();
  private readonly ips = new Map<string, NetworkRecord>();
  private readonly prefixes = new Map<string, NetworkRecord>();
  private readonly providers = new Map<string, NetworkRecord>();
  private readonly devices = new Map<string, DeviceRecord>();
  private readonly attemptIds = new Map<string, number>();
  private lastSweep: number;
  private callsSinceSweep = 0;

  constructor(
    /** Where the shop-wide ops go (synchronously: nothing here waits). */
    private readonly store: MemoryCounterStore,
    private readonly knownForMs: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.lastSweep = clock();
  }

  read(a: LoginSubject, wide: string, block: number): AttemptCounts {
    const now = this.tick();
    const h = Math.floor(now / HOUR_B);
    const d = Math.floor(now / DAY_B);
    const acct = this.accounts.get(a.account);
    const ip = this.ips.get(a.ip);
    const pfx = this.prefixes.get(a.prefix);
    const prov = this.providers.get(wide);
    const dev = a.device !== undefined ? this.devices.get(a.device) : undefined;
    return {
      deviceKnown: a.device !== undefined && has(acct?.devices, a.device, now),
      networkKnown: has(acct?.networks, a.prefix, now),
      wideNetworkKnown: has(acct?.wides, wide, now),
      timeKnown: acct?.times !== undefined && acct.times[block]! > now,
      accountFailuresHour: sum(acct?.hour, 2, 0, h),
      accountConsecutive: sum(acct?.consecutive, 1, 0, d),
      accountUnknownDeviceFailuresHour: sum(acct?.hour, 2, 1, h),
      ipFailuresHour: sum(ip?.hour, 3, 0, h),
      ipSuccessesHour: sum(ip?.hour, 3, 1, h),
      prefixFailuresHour: sum(pfx?.hour, 3, 0, h),
      prefixSuccessesHour: sum(pfx?.hour, 3, 1, h),
      ipFailedUsernames: ip?.failedAccounts ? ip.failedAccounts.size(h) : 0,
      prefixFailedUsernames: pfx?.failedAccounts ? pfx.failedAccounts.size(h) : 0,
      ipUnknownUsers: sum(ip?.hour, 3, 2, h),
      ipSuccessfulAccountsDay: ip?.okAccounts ? ip.okAccounts.size(d) : 0,
      prefixSuccessfulAccountsDay: pfx?.okAccounts ? pfx.okAccounts.size(d) : 0,
      providerUnknownDeviceAttemptsHour: sum(prov?.hour, 3, 0, h),
      providerUnknownDeviceSuccessesHour: sum(prov?.hour, 3, 1, h),
      providerRegularAccountsDay: prov?.okAccounts ? prov.okAccounts.size(d) : 0,
      providerSuccessfulAccountsHour: prov?.okAccountsHour ? prov.okAccountsHour.size(h) : 0,
      deviceUsedHere: has(dev?.prefixes, a.prefix, now),
      deviceUsedInProvider: has(dev?.wides, wide, now),
      accountHasHistory: acct !== undefined && acct.historyUntil > now,
      deviceFailuresHour: sum(dev?.hour, 1, 0, h),
      deviceFailedUsernames: dev?.failedAccounts ? dev.failedAccounts.size(d) : 0,
      deviceSeen: dev !== undefined && dev.seenUntil > now,
      surge: false,
      shopUnderAttack: false,
    };
  }

  before(a: LoginSubject): ResultCounts {
    const now = this.tick();
    let duplicate = false;
    if (a.attemptId !== undefined) {
      duplicate = (this.attemptIds.get(a.attemptId) ?? -Infinity) > now;
      this.attemptIds.set(a.attemptId, now + DAY);
    }
    const acct = this.accounts.get(a.account);
    const dev = a.device !== undefined ? this.devices.get(a.device) : undefined;
    return {
      duplicate,
      deviceKnown: a.device !== undefined && has(acct?.devices, a.device, now),
      deviceSeen: dev !== undefined && dev.seenUntil > now,
      consecutive: sum(acct?.consecutive, 1, 0, Math.floor(now / DAY_B)),
    };
  }

  write(a: LoginSubject, wide: string, block: number, outcome: LoginOutcome, deviceKnown: boolean, shared: readonly CounterOp[]) {
    const now = this.clock();
    const h = Math.floor(now / HOUR_B);
    const d = Math.floor(now / DAY_B);
    const hourEnd = hourUntil(h);
    const dayEnd = dayUntil(d);
    const acct = this.account(a.account);
    const ip = this.network(this.ips, a.ip);
    const pfx = this.network(this.prefixes, a.prefix);
    const dev = a.device !== undefined ? this.device(a.device) : undefined;
    if (outcome === 'success') {
      const known = now + this.knownForMs;
      add(ip.hour, 3, 1, h);
      add(pfx.hour, 3, 1, h);
      // the provider's unknown-device attempts are counted when evaluated (share); successes here
      const prov = this.network(this.providers, wide);
      prov.okAccountsHour = withMember(prov.okAccountsHour, h, a.account);
      if (deviceKnown) {
        prov.okAccounts = withMember(prov.okAccounts, d, a.account);
        prov.until = Math.max(prov.until, dayEnd);
      } else {
        add(prov.hour, 3, 1, h);
        prov.until = Math.max(prov.until, hourEnd);
      }
      ip.okAccounts = withMember(ip.okAccounts, d, a.account);
      pfx.okAccounts = withMember(pfx.okAccounts, d, a.account);
      ip.until = Math.max(ip.until, dayEnd);
      pfx.until = Math.max(pfx.until, dayEnd);
      acct.consecutive = undefined;
      acct.historyUntil = known;
      (acct.networks ??= new Map()).set(a.prefix, known);
      (acct.wides ??= new Map()).set(wide, known);
      (acct.times ??= [-Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity])[block] = known;
      if (dev) {
        (acct.devices ??= new Map()).set(a.device!, known);
        dev.seenUntil = known;
        (dev.prefixes ??= new Map()).set(a.prefix, known);
        (dev.wides ??= new Map()).set(wide, known);
        dev.until = Math.max(dev.until, known);
      }
      acct.until = Math.max(acct.until, known);
    } else {
      const hour = (acct.hour ??= windows(2));
      add(hour, 2, 0, h);
      if (!deviceKnown) add(hour, 2, 1, h);
      add((acct.consecutive ??= windows(1)), 1, 0, d);
      acct.until = Math.max(acct.until, dayEnd);
      add(ip.hour, 3, 0, h);
      if (outcome === 'unknown_user') add(ip.hour, 3, 2, h);
      add(pfx.hour, 3, 0, h);
      ip.failedAccounts = withMember(ip.failedAccounts, h, a.account);
      pfx.failedAccounts = withMember(pfx.failedAccounts, h, a.account);
      ip.until = Math.max(ip.until, hourEnd);
      pfx.until = Math.max(pfx.until, hourEnd);
      if (dev) {
        add((dev.hour ??= windows(1)), 1, 0, h);
        dev.failedAccounts = withMember(dev.failedAccounts, d, a.account);
        dev.until = Math.max(dev.until, dayEnd);
      }
    }
    if (shared.length) this.store.applySync(shared);
  }

  share(ops: readonly CounterOp[], unknownDeviceIn?: string) {
    if (ops.length) this.store.applySync(ops);
    if (unknownDeviceIn === undefined) return;
    const h = Math.floor(this.clock() / HOUR_B);
    const prov = this.network(this.providers, unknownDeviceIn);
    add(prov.hour, 3, 0, h);
    prov.until = Math.max(prov.until, hourUntil(h));
  }

  private account(key: string): AccountRecord {
    let r = this.accounts.get(key);
    if (r === undefined) this.accounts.set(key, (r = new AccountRecord()));
    return r;
  }
  private network(map: Map<string, NetworkRecord>, key: string): NetworkRecord {
    let r = map.get(key);
    if (r === undefined) map.set(key, (r = new NetworkRecord()));
    return r;
  }
  private device(key: string): DeviceRecord {
    let r = this.devices.get(key);
    if (r === undefined) this.devices.set(key, (r = new DeviceRecord()));
    return r;
  }

  /** The store's time for a call; drops expired records now and then. */
  private tick(): number {
    const now = this.clock();
    ++this.callsSinceSweep;
    if (now - this.lastSweep > SWEEP_MS && this.callsSinceSweep > 1000 + this.size() / 4) this.sweep(now);
    return now;
  }

  private sweep(now: number) {
    this.lastSweep = now;
    this.callsSinceSweep = 0;
    for (const [k, r] of this.accounts) {
      if (r.until <= now) {
        this.accounts.delete(k);
        continue;
      }
      prune(r.devices, now);
      prune(r.networks, now);
      prune(r.wides, now);
    }
    for (const m of [this.ips, this.prefixes, this.providers]) for (const [k, r] of m) if (r.until <= now) m.delete(k);
    for (const [k, r] of this.devices) {
      if (r.until <= now) {
        this.devices.delete(k);
        continue;
      }
      prune(r.prefixes, now);
      prune(r.wides, now);
    }
    prune(this.attemptIds, now);
  }

  /** Number of live records (for tests of memory bounds). */
  size(): number {
    return this.accounts.size + this.ips.size + this.prefixes.size + this.providers.size + this.devices.size + this.attemptIds.size;
  }
}
