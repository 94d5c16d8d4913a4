// Credential-stuffing runs as parameters, not fixed shapes: how many attempts each address makes
// before the proxy rotates, how widely the addresses spread (/24s, provider-sized /16s, whether
// they sit in the customers' own providers), what the bot does with device ids, how many usernames
// exist here, how the attempts are paced, and how many pairs are valid. `randomAttack` draws any
// combination; the sweep (sweep.ts) walks each axis from one base.
import type { Rng } from './random.ts';
import type { LoginAttempt } from './attempt.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export type DeviceStrategy = 'stable' | 'fresh' | 'absent' | 'replayed' | 'mixed';

export interface AttackSpec {
  attempts: number;
  startAt: number;
  /** Pacing: the whole run lasts this long (a 15-minute burst to a days-long trickle). */
  durationMs: number;
  /** Attempts are grouped in this many bursts spread over the duration (1 = evenly paced). */
  bursts: number;
  /** Rotation: attempts each address makes before the proxy hands out another (1–100). */
  attemptsPerIp: number;
  /** Address spread: distinct /24s the addresses come from (0 = each address its own /24). */
  prefixes: number;
  /** ... and distinct provider-sized /16s ("ASNs"; 0 = anywhere). */
  providers: number;
  /** Residential proxies inside the same providers the shop's customers use. */
  customerProviders: boolean;
  ipv6Share: number;
  devices: DeviceStrategy;
  /** Share of tried usernames that do not exist at this shop. */
  unknownShare: number;
  /** Share of attempts whose pair is valid here (0.1–3 % in published reports). */
  validShare: number;
}

export interface AttackWorld {
  /** Usernames of real customers (targets of the valid pairs). */
  usernames: string[];
  breached: (username: string) => boolean;
  /** Device ids real customers have used (for replay). */
  customerDevices: string[];
  /** /16s ("a.b") the customers' home and carrier addresses come from. */
  customerProviders: string[];
}

const octet = (r: Rng) => r.int(1, 254);
const v6 = (r: Rng) => `2a0${r.int(0, 9)}:${r.hex(4)}:${r.hex(4)}:${r.hex(4)}:${r.hex(4)}:${r.hex(4)}:${r.hex(4)}:${r.hex(4)}`;

/** One run's attempts, with ground truth; returns how many valid pairs it tried. */
export function attackAttempts(r: Rng, a: AttackSpec, idx: number, w: AttackWorld, out: LoginAttempt[]): number {
  const providers = Array.from({ length: a.providers || 0 }, () => (a.customerProviders ? r.pick(w.customerProviders) : `${r.int(1, 223)}.${r.int(0, 255)}`));
  const newProvider = () => (a.customerProviders ? r.pick(w.customerProviders) : `${r.int(1, 223)}.${r.int(0, 255)}`);
  const prefixes = Array.from({ length: a.prefixes || 0 }, () => `${providers.length ? r.pick(providers) : newProvider()}.${r.int(0, 255)}`);
  const address = () => {
    if (r.chance(a.ipv6Share)) return v6(r);
    if (prefixes.length) return `${r.pick(prefixes)}.${octet(r)}`;
    return `${providers.length ? r.pick(providers) : newProvider()}.${r.int(0, 255)}.${octet(r)}`;
  };
  const stablePool = Array.from({ length: Math.max(1, Math.round(a.attempts / 500)) }, () => `dev-${r.hex(12)}`);
  const device = (): string | undefined => {
    const s = a.devices === 'mixed' ? r.pick(['stable', 'fresh', 'absent', 'replayed'] as const) : a.devices;
    if (s === 'absent') return undefined;
    if (s === 'fresh') return `dev-${r.hex(12)}`;
    if (s === 'replayed') return r.pick(w.customerDevices);
    return r.pick(stablePool);
  };
  // Bursts spread evenly over the duration; with several, each lasts a quarter of its slot.
  const B = Math.max(1, a.bursts);
  const burstLen = a.durationMs / B / (B > 1 ? 4 : 1);
  const per = a.attempts / B;
  let valid = 0;
  let ip = address();
  let left = a.attemptsPerIp;
  for (let i = 0; i < a.attempts; i++) {
    const b = Math.min(B - 1, Math.floor(i / per));
    const pos = (i - b * per) / per;
    const t = a.startAt + Math.floor((a.durationMs * b) / B + (pos + r.next() / per) * burstLen);
    if (left-- <= 0) {
      ip = address();
      left = a.attemptsPerIp - 1;
    }
    const isValid = r.chance(a.validShare);
    const exists = isValid || r.chance(1 - a.unknownShare / Math.max(1e-9, 1 - a.validShare));
    const username = exists ? r.pick(w.usernames) : `leak${r.hex(10)}@mail.example`;
    if (isValid) valid++;
    out.push({
      t,
      username,
      ip,
      device: device(),
      // pairs from another site's breach: about half their passwords are in the corpus
      passwordBreached: isValid ? w.breached(username) || r.chance(0.5) : r.chance(0.5),
      outcome: isValid ? 'success' : exists ? 'failure' : 'unknown_user',
      actor: 'attack',
      attack: idx,
    });
  }
  return valid;
}

/** Any combination of the parameters, sized relative to a day of legitimate sign-ins. */
export function randomAttack(r: Rng, days: number, legitPerDay: number): AttackSpec {
  const pacing = r.pick([15 * MIN, 2 * HOUR, 12 * HOUR, 2 * DAY, Math.max(1, days - 1) * DAY]);
  const durationMs = Math.min(pacing, Math.max(1, days - 1) * DAY);
  return {
    attempts: Math.round(legitPerDay * (0.5 + r.next() * 2.5)),
    startAt: Math.floor(DAY * 0.5 + r.next() * Math.max(0, days * DAY - durationMs - DAY * 0.5)),
    durationMs,
    bursts: r.pick([1, 1, 3, 12]),
    attemptsPerIp: r.pick([1, 2, 5, 10, 30, 100]),
    prefixes: r.pick([0, 0, 3, 20, 200]),
    providers: r.pick([0, 0, 1, 5, 50]),
    customerProviders: r.chance(0.25),
    ipv6Share: r.pick([0, 0.2]),
    devices: r.pick(['stable', 'fresh', 'absent', 'replayed', 'mixed'] as const),
    unknownShare: r.pick([0, 0.3, 0.5, 0.7, 0.9]),
    validShare: 0.001 + r.next() * 0.029,
  };
}
