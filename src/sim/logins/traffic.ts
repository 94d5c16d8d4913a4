// Mixed login traffic for the evaluation: a shop's real customers and credential-stuffing runs
// shaped like published ones. Every attempt carries the ground truth (who, whether the pair was
// valid) so replays can count takeovers and disturbed customers.
import { Rng } from './random.ts';
import { attackAttempts, randomAttack, type AttackSpec } from './attacks.ts';
import type { LoginAttempt } from './attempt.ts';

export type { LoginAttempt } from './attempt.ts';

export type { AttackSpec };

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

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
  /** Share of customers who sign in mostly through their mobile carrier's NAT. */
  carrierShare?: number;
  /** Share of sign-ins made while travelling (hotel or foreign network: new /24 and /16). */
  travelShare?: number;
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
  /** The customer's mobile carrier: a NAT pool spread over two /16s. */
  carrier: string[];
  mobile: boolean;
  breached: boolean;
}

/** Random attacks of any parameters, sized relative to the legitimate traffic. */
export function randomAttacks(r: Rng, days: number, legitPerDay: number, n = 4): AttackSpec[] {
  return Array.from({ length: n }, () => randomAttack(r, days, legitPerDay));
}

export function generateTraffic(o: TrafficOptions): Traffic {
  const r = new Rng(o.seed);
  const attempts: LoginAttempt[] = [];
  // Mobile carriers: each a NAT pool of many addresses over 40 /24s in two /16s, shared by all
  // its customers and changing from one sign-in to the next.
  const carriers = Array.from({ length: 4 }, () => {
    const wide = [`${r.int(1, 223)}.${r.int(0, 255)}`, `${r.int(1, 223)}.${r.int(0, 255)}`];
    return Array.from({ length: 40 }, () => `${r.pick(wide)}.${r.int(0, 255)}`);
  });
  const offices = Array.from({ length: Math.max(1, Math.round(o.customers / 40)) }, () => ip4(r));
  // Home broadband comes from a few providers too (a /16 each), not from the whole address space.
  const isps = Array.from({ length: 12 }, () => `${r.int(1, 223)}.${r.int(0, 255)}`);
  const customers: Customer[] = Array.from({ length: o.customers }, (_, i) => ({
    username: `user${i}@example.cn`,
    devices: [`dev-${r.hex(12)}`, ...(r.chance(0.5) ? [`dev-${r.hex(12)}`] : [])],
    home: r.chance(0.3)
      ? { v6: `2408:${r.hex(4)}:${r.hex(4)}:${r.hex(2)}`, v4: `${r.pick(isps)}.${r.int(0, 255)}.${r.int(1, 254)}` }
      : { v4: `${r.pick(isps)}.${r.int(0, 255)}.${r.int(1, 254)}` },
    office: r.chance(0.4) ? r.pick(offices) : undefined,
    carrier: r.pick(carriers),
    mobile: r.chance(o.carrierShare ?? 0.4),
    breached: r.chance(o.breachedPasswordShare),
  }));

  // Legitimate sign-ins: Poisson per customer, over the whole period.
  for (const c of customers) {
    let t = -o.warmupDays * DAY + r.exp(DAY / o.loginsPerDay);
    while (t < o.days * DAY) {
      const before = attempts.length;
      session(r, c, t, o, attempts);
      if (t < 0) for (let i = before; i < attempts.length; i++) attempts[i]!.warmup = true;
      t += r.exp(DAY / o.loginsPerDay);
    }
  }
  const world = {
    usernames: customers.map((c) => c.username),
    breached: (u: string) => customers[Number(u.slice(4, u.indexOf('@')))]?.breached ?? false,
    customerDevices: customers.flatMap((c) => c.devices),
    customerProviders: [...new Set([...isps, ...carriers.flat().map((p) => p.split('.').slice(0, 2).join('.'))])],
  };
  let validPairs = 0;
  o.attacks.forEach((a, idx) => (validPairs += attackAttempts(r, a, idx, world, attempts)));
  attempts.sort((x, y) => x.t - y.t);
  return { attempts, customers: o.customers, validPairs };
}

function session(r: Rng, c: Customer, t: number, o: TrafficOptions, out: LoginAttempt[]) {
  let device: string | undefined = r.pick(c.devices);
  if (r.chance(o.newDeviceShare)) {
    // a new phone, a cleared browser, a borrowed laptop: it becomes one of theirs
    device = `dev-${r.hex(12)}`;
    c.devices.push(device);
  }
  if (r.chance(0.03)) device = undefined; // a client that sends no device id
  // Mobile customers are mostly on their carrier's NAT; others mostly at home; some at an office;
  // a few while travelling (a hotel or foreign network nobody here has used).
  const where = r.next();
  const carrierIp = () => `${r.pick(c.carrier)}.${r.int(1, 254)}`;
  const homeIp = () => (c.home.v6 ? ip6(r, c.home.v6) : c.home.v4);
  const ip = r.chance(o.travelShare ?? 0.01)
    ? ip4(r)
    : c.mobile
      ? where < 0.75
        ? carrierIp()
        : where < 0.9 || !c.office
          ? homeIp()
          : c.office
      : where < 0.6
        ? homeIp()
        : where < 0.85 || !c.office
          ? carrierIp()
          : c.office;
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
