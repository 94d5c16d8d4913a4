// The shop-wide picture: is the shop under a credential-stuffing attack right now, judged against
// its own normal traffic rather than against any one address or device?
//
// Population: attempts on a device the account does not know (or with no device id) that open a
// new run on their account (no failures on it since its last success: a customer's retries count
// once, a bot moving from account to account counts every time). For these we count, over 10 minutes, 1 hour, 6 hours and 24 hours, the evaluations, the successes and the
// unknown-username results (shared counters, so every node sees the same totals). The shop's own
// normal rate of each is learned by hour of day over the last 7 days, from calm periods only (an
// attack does not teach the baseline that attacks are normal). The shop is under attack when, in
// any window, attempts that did not end in a success, or unknown usernames, exceed both twice the
// expected count and the expected count plus four Poisson standard deviations.
//
// Why this holds when the attack changes shape: it does not look at addresses, devices or pacing
// at all. Any stuffing run is mostly failures (1–3 % of stolen pairs are valid here) and, with a
// list from another site, mostly names usernames this shop has never had; those excesses are what
// is counted. Rotating addresses, dropping or forging device ids, spreading over countries changes
// none of them. Slowing down spreads the excess over time: the 24-hour window still adds it up
// (the excess over a trickle grows linearly with time, the noise only with its square root).
//
// Counting evaluations (not only results) matters: bots abandon challenged attempts, so a
// results-only count would calm down as soon as the defence works and let the attack back in.
import type { CounterOp, CounterStore } from './counters/counter-store.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
export const SHOP_WINDOWS = [10 * MIN, HOUR, 6 * HOUR, DAY] as const;
/** How long a node reuses the shop-wide state before reading the shared counters again. */
const STATE_TTL = 1000;
/** How long it reuses the learned baseline (it moves over days). */
const BASELINE_TTL = 5 * MIN;

export interface ShopBaselineConfig {
  /** Excess factor over the shop's normal count. */
  factor: number;
  /** Poisson standard deviations above normal. */
  sigmas: number;
  /** Calm minutes of history before the baseline is trusted (before that the detector is off). */
  minHistoryMinutes: number;
  /** Events above normal, at least (a handful of extra failures cannot be an attack worth the name). */
  minExcess: number;
}

export interface ShopState {
  underAttack: boolean;
  /** Whether enough calm history exists to judge (otherwise `underAttack` is false). */
  ready: boolean;
}

const cur = (what: 'e' | 's' | 'u', w: number) => `sb:${what}:${w}`;
const slot = (what: 'e' | 's' | 'u' | 'm', h: number) => `sb:b${what}:${h}`;
// The ops of every evaluation are built once and shared (stores never change ops).
const curOps = (what: 'e' | 's' | 'u'): CounterOp[] => SHOP_WINDOWS.map((w) => ({ kind: 'count', key: cur(what, w), windowMs: w, add: 1 }));
const CUR_ADD = { e: curOps('e'), s: curOps('s'), u: curOps('u') };
/** Per hour of day: the current windows and that hour's baseline slot (calm periods). */
const calmOps = (what: 'e' | 's' | 'u'): CounterOp[][] =>
  Array.from({ length: 24 }, (_, h) => [...CUR_ADD[what], { kind: 'count', key: slot(what, h), windowMs: WEEK, add: 1 }]);
const CALM_ADD = { e: calmOps('e'), s: calmOps('s'), u: calmOps('u') };
/** Hour of the day (UTC) of a time; also right for times before 1970 (simulations). */
export const hourOfDay = (t: number) => Math.floor((((t % DAY) + DAY) % DAY) / HOUR);

/** Expected count in a window ending at `now`, from per-hour-of-day rates (per minute). */
function expected(rates: Float64Array, now: number, windowMs: number): number {
  let sum = 0;
  let t = now;
  let left = windowMs;
  while (left > 0) {
    const h = hourOfDay(t);
    const inHour = Math.min(left, t - Math.floor(t / HOUR) * HOUR || HOUR);
    sum += (rates[h]! * inHour) / MIN;
    left -= inHour;
    t -= inHour;
  }
  return sum;
}

export class ShopBaseline {
  private state: ShopState = { underAttack: false, ready: false };
  private stateAt = -Infinity;
  private baselineAt = -Infinity;
  /** Per hour of day: non-successes, unknown usernames per calm minute. */
  private readonly failRate = new Float64Array(24);
  private readonly unknownRate = new Float64Array(24);
  private ready = false;
  private lastMinute = -1;

  constructor(
    private readonly store: CounterStore,
    private readonly cfg: ShopBaselineConfig,
    private readonly clock: () => number,
  ) {}

  /** The current state, read from the shared counters at most once a second per node. */
  current(): ShopState | Promise<ShopState> {
    const now = this.clock();
    if (now - this.stateAt < STATE_TTL) return this.state;
    return this.refresh(now);
  }

  private async refresh(now: number): Promise<ShopState> {
    this.stateAt = now;
    if (now - this.baselineAt >= BASELINE_TTL) await this.learn(now);
    const ops: CounterOp[] = [];
    for (const w of SHOP_WINDOWS) for (const what of ['e', 's', 'u'] as const) ops.push({ kind: 'count', key: cur(what, w), windowMs: w, add: 0 });
    // A calm minute with sign-ins is a minute of baseline (minutes without any sign-in are not
    // counted: the rates lean high for a quiet shop, which errs towards fewer alarms).
    const minute = Math.floor(now / MIN);
    if (minute !== this.lastMinute && !this.state.underAttack) {
      this.lastMinute = minute;
      ops.push({ kind: 'distinct', key: slot('m', hourOfDay(now)), windowMs: WEEK, member: String(minute) });
    }
    const v = await this.store.apply(ops);
    let underAttack = false;
    if (this.ready) {
      const excessAt = (i: number, fail: boolean, ongoing = false) => {
        const w = SHOP_WINDOWS[i]!;
        const o = fail ? v[i * 3]! - v[i * 3 + 1]! : v[i * 3 + 2]!;
        const e = expected(fail ? this.failRate : this.unknownRate, now, w);
        return ongoing ? o > this.cfg.factor * e && o >= e + this.cfg.minExcess / 2 : this.excess(o, e);
      };
      for (let i = 0; i < SHOP_WINDOWS.length && !underAttack; i++) {
        for (const fail of [true, false]) {
          // A long window also needs excess in the next shorter one: the attack is still going
          // on (a burst that ended hours ago no longer turns customers into suspects).
          if (excessAt(i, fail) && (SHOP_WINDOWS[i]! <= HOUR || excessAt(i - 1, fail, true))) underAttack = true;
        }
      }
    }
    this.state = { underAttack, ready: this.ready };
    return this.state;
  }

  private excess(observed: number, normal: number): boolean {
    return (
      observed > this.cfg.factor * normal && observed > normal + this.cfg.sigmas * Math.sqrt(Math.max(normal, 1)) && observed >= normal + this.cfg.minExcess
    );
  }

  /** Reads the last week's calm counts by hour of day into per-minute rates. */
  private async learn(now: number) {
    this.baselineAt = now;
    const ops: CounterOp[] = [];
    for (let h = 0; h < 24; h++)
      for (const what of ['e', 's', 'u', 'm'] as const)
        ops.push(what === 'm' ? { kind: 'distinct', key: slot('m', h), windowMs: WEEK } : { kind: 'count', key: slot(what, h), windowMs: WEEK, add: 0 });
    const v = await this.store.apply(ops);
    let minutes = 0;
    let fails = 0;
    let unknown = 0;
    for (let h = 0; h < 24; h++) {
      minutes += v[h * 4 + 3]!;
      fails += v[h * 4]! - v[h * 4 + 1]!;
      unknown += v[h * 4 + 2]!;
    }
    this.ready = minutes >= this.cfg.minHistoryMinutes;
    // An hour of day with little calm history borrows the all-day rate.
    for (let h = 0; h < 24; h++) {
      const m = v[h * 4 + 3]!;
      const own = m >= 60;
      this.failRate[h] = own ? (v[h * 4]! - v[h * 4 + 1]!) / m : minutes ? fails / minutes : 0;
      this.unknownRate[h] = own ? v[h * 4 + 2]! / m : minutes ? unknown / minutes : 0;
    }
  }

  /**
   * Counter ops for one event of the population (an evaluation, a success or an unknown
   * username); calm periods also feed the baseline of the current hour of day. Shared arrays:
   * not to be changed.
   */
  ops(what: 'e' | 's' | 'u'): readonly CounterOp[] {
    return this.state.underAttack ? CUR_ADD[what] : CALM_ADD[what][hourOfDay(this.clock())]!;
  }
}
