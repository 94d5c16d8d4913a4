// Mixed login traffic for the evaluation: a shop's real customers and credential-stuffing runs
// shaped like published ones. Every attempt carries the ground truth (who, whether the pair was
// valid) so replays can count takeovers and disturbed customers.
import { Rng } from './random.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export interface LoginAttempt {
  t: number;
  username: string;
  ip: string;
  device?: string;
  /** The shop's breached-password check of the submitted password. */
  passwordBreached: boolean;
  /** What the password check will say if the attempt gets that far. */
  outcome: 'success' | 'failure' | 'unknown_user';
  actor: 'legit' | 'attack';
  /** Attack run index, for per-shape reporting. */
  attack?: number;
  warmup?: boolean;
}

export type AttackShape = 'burst-rotation' | 'low-and-slow-rotation' | 'botnet' | 'proxy-subnets';
export const ATTACK_SHAPES: readonly AttackShape[] = ['burst-rotation', 'low-and-slow-rotation', 'botnet', 'proxy-subnets'];

export interface AttackSpec {
  shape: AttackShape;
  attempts: number;
  /** Share of tried pairs that are valid here (0.001–0.03 in published reports). */
  validShare: number;
  /** Share of tried usernames that exist here at all. */
  existingShare: number;
  /** Share of attempts that send a device id (a fresh one per attempt or per bot). */
  deviceIdShare: number;
  startAt: number;
}

export interface TrafficOptions {
  seed: number;
  customers: number;
  days: number;
  /** Mean sign-ins per customer per day. */
  loginsPerDay: number;
  attacks: AttackSpec[];
  /** Share of customers whose password is in public breach corpora. */
  breachedPasswordShare: number;
  /** Share of customers' sign-ins from a device that account has not used before. */
  newDeviceShare: number;
  /**
   * Days of ordinary traffic before the measured period (fanzha has been running for a while:
   * it knows its customers' devices). Attempts in it are marked `warmup` and not counted.
   */
  warmupDays: number;
}

export interface Traffic {
  attempts: LoginAttempt[];
  customers: number;
  validPairs: number;
}

const ip4 = (r: Rng) => `${r.int(1, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
const ip6 = (r: Rng, p56?: string) => `${p56 ?? `2408:${r.hex(4)}:${r.hex(4)}:${r.hex(2)}`}${r.hex(2)}:${r.hex(4)}:${r.hex(4)}:${r.hex(4)}:${r.hex(4)}`;

interface Customer {
  username: string;
  devices: string[];
  home: { v6?: string; v4: string };
  office?: string;
  breached: boolean;
}

/** Random attacks with published shapes, sized relative to the legitimate traffic. */
export function randomAttacks(r: Rng, days: number, legitPerDay: number, n = 4): AttackSpec[] {
  const out: AttackSpec[] = [];
  for (let i = 0; i < n; i++) {
    const shape = ATTACK_SHAPES[i % ATTACK_SHAPES.length]!;
    out.push({
      shape,
      attempts: Math.round(legitPerDay * (0.5 + r.next() * 2.5)),
      validShare: 0.001 + r.next() * 0.029,
      existingShare: 0.3 + r.next() * 0.5,
      deviceIdShare: r.next(),
      startAt: Math.floor(DAY * (1 + r.next() * (days - 2))),
    });
  }
  return out;
}

export function generateTraffic(o: TrafficOptions): Traffic {
  const r = new Rng(o.seed);
  const attempts: LoginAttempt[] = [];
  const carrier = Array.from({ length: 6 }, () => ip4(r)); // mobile carrier NAT: many customers per address
  const offices = Array.from({ length: Math.max(1, Math.round(o.customers / 40)) }, () => ip4(r));
  const customers: Customer[] = Array.from({ length: o.customers }, (_, i) => ({
    username: `user${i}@example.cn`,
    devices: [`dev-${r.hex(12)}`, ...(r.chance(0.5) ? [`dev-${r.hex(12)}`] : [])],
    home: r.chance(0.3) ? { v6: `2408:${r.hex(4)}:${r.hex(4)}:${r.hex(2)}`, v4: ip4(r) } : { v4: ip4(r) },
    office: r.chance(0.4) ? r.pick(offices) : undefined,
    breached: r.chance(o.breachedPasswordShare),
  }));

  // Legitimate sign-ins: Poisson per customer, over the whole period.
  for (const c of customers) {
    let t = -o.warmupDays * DAY + r.exp(DAY / o.loginsPerDay);
    while (t < o.days * DAY) {
      const before = attempts.length;
      session(r, c, t, o, carrier, attempts);
      if (t < 0) for (let i = before; i < attempts.length; i++) attempts[i]!.warmup = true;
      t += r.exp(DAY / o.loginsPerDay);
    }
  }
  let validPairs = 0;
  o.attacks.forEach((a, idx) => (validPairs += attack(r, a, idx, customers, attempts)));
  attempts.sort((x, y) => x.t - y.t);
  return { attempts, customers: o.customers, validPairs };
}

function session(r: Rng, c: Customer, t: number, o: TrafficOptions, carrier: string[], out: LoginAttempt[]) {
  let device: string | undefined = r.pick(c.devices);
  if (r.chance(o.newDeviceShare)) {
    // a new phone, a cleared browser, a borrowed laptop: it becomes one of theirs
    device = `dev-${r.hex(12)}`;
    c.devices.push(device);
  }
  if (r.chance(0.03)) device = undefined; // a client that sends no device id
  const where = r.next();
  const ip = where < 0.5 ? (c.home.v6 ? ip6(r, c.home.v6) : c.home.v4) : where < 0.85 || !c.office ? r.pick(carrier) : c.office;
  const base = { username: c.username, ip, device, passwordBreached: c.breached, actor: 'legit' as const };
  let at = t;
  const u = r.next();
  if (u < 0.02) {
    // typo in the username
    out.push({ ...base, t: at, username: c.username.replace('@', '.@'), passwordBreached: false, outcome: 'unknown_user' });
    at += r.int(5, 30) * 1000;
  } else if (u < 0.1) {
    // typo in the password
    out.push({ ...base, t: at, passwordBreached: false, outcome: 'failure' });
    at += r.int(5, 30) * 1000;
  } else if (u < 0.115) {
    // forgot the password: several tries, then a reset, then a sign-in with the new one
    const n = r.int(3, 8);
    for (let i = 0; i < n; i++) {
      out.push({ ...base, t: at, passwordBreached: r.chance(0.3), outcome: 'failure' });
      at += r.int(10, 60) * 1000;
    }
    at += r.int(2, 30) * MIN;
    c.breached = false;
    out.push({ ...base, t: at, passwordBreached: false, outcome: 'success' });
    return;
  }
  out.push({ ...base, t: at, outcome: 'success' });
}

function attack(r: Rng, a: AttackSpec, idx: number, customers: Customer[], out: LoginAttempt[]): number {
  const duration =
    a.shape === 'burst-rotation' ? r.int(15, 60) * MIN : a.shape === 'low-and-slow-rotation' ? r.int(24, 60) * HOUR : a.shape === 'botnet' ? r.int(2, 8) * HOUR : r.int(1, 4) * HOUR;
  const bots = a.shape === 'botnet' ? Array.from({ length: r.int(20, 60) }, () => ({ ip: ip4(r), dev: `dev-${r.hex(12)}` })) : [];
  const subnets = a.shape === 'proxy-subnets' ? Array.from({ length: r.int(3, 8) }, () => ip4(r).split('.').slice(0, 3).join('.')) : [];
  let valid = 0;
  for (let i = 0; i < a.attempts; i++) {
    const t = a.startAt + Math.floor((duration * i) / a.attempts + r.next() * (duration / a.attempts));
    let ip: string;
    let device: string | undefined;
    if (a.shape === 'botnet') {
      const b = r.pick(bots);
      ip = b.ip;
      device = r.chance(a.deviceIdShare) ? b.dev : undefined;
    } else {
      ip = a.shape === 'proxy-subnets' ? `${r.pick(subnets)}.${r.int(1, 254)}` : r.chance(0.2) ? ip6(r) : ip4(r);
      device = r.chance(a.deviceIdShare) ? `dev-${r.hex(12)}` : undefined;
    }
    const exists = r.chance(a.existingShare);
    const isValid = exists && r.chance(a.validShare / a.existingShare);
    const c = exists ? r.pick(customers) : undefined;
    if (isValid) valid++;
    out.push({
      t,
      username: c ? c.username : `leak${r.hex(10)}@mail.example`,
      ip,
      device,
      // the pairs come from another site's breach: about half their passwords are in the corpus
      passwordBreached: isValid && c ? c.breached || r.chance(0.5) : r.chance(0.5),
      outcome: isValid ? 'success' : exists ? 'failure' : 'unknown_user',
      actor: 'attack',
      attack: idx,
    });
  }
  return valid;
}
