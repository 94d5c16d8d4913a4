// Guard configuration (config file `areas.guard`), validated with defaults. The defaults are the
// ones `fanzha logins evaluate` was run with (see docs/areas/guard.md for why each value).
import { ConfigError } from '../config/config.ts';

export interface GuardThresholds {
  /** Failures per IP in an hour before unknown devices from it are challenged. */
  ipFailuresHour: number;
  /** Failures per /24 or /56 prefix in an hour. */
  prefixFailuresHour: number;
  /** Failures per device id in an hour. */
  deviceFailuresHour: number;
  /** Distinct usernames that failed from one IP / prefix / device in an hour. */
  ipFailedUsernamesHour: number;
  prefixFailedUsernamesHour: number;
  deviceFailedUsernamesDay: number;
  /** unknown_user results from one IP in an hour. */
  ipUnknownUsersHour: number;
  /** Failures on one account in an hour before new devices must pass a challenge. */
  accountFailuresHour: number;
  /** Consecutive failures on an account before even a known device is challenged. */
  accountConsecutiveKnownDevice: number;
  /** Unknown-device failures on an account in an hour that lock it for unknown devices. */
  accountFailuresDeny: number;
  /** IP failures in an hour with at least `ipDenyFailureShare` of its attempts failing → deny. */
  ipFailuresDeny: number;
  ipDenyFailureShare: number;
  /** Distinct failing usernames per device in a day → deny that device. */
  deviceFailedUsernamesDeny: number;
  /**
   * Accounts that signed in on their own devices through a provider-sized network (IPv4 /16,
   * IPv6 /32) in a day before the shop's customers count as using it.
   */
  providerRegularAccountsDay: number;
  /**
   * A provider is calm while its unsuccessful attempts from devices their account did not know, in
   * the last hour, stay within this many per account that signed in through it (no slack).
   */
  providerCalmUnsuccessfulPerSuccess: number;
  /** ... and attacked beyond this many per account (with three Poisson deviations of slack). */
  providerAttackedUnsuccessfulPerSuccess: number;
}

export interface GuardConfig {
  /** What evaluate answers when the counters cannot be reached. */
  failMode: 'open' | 'challenge' | 'closed';
  redisKeyPrefix: string;
  /**
   * Milliseconds a Redis command may take before it counts as a failure (and `failMode` applies):
   * short, so a slow Redis costs a sign-in little; longer for a Redis across a slow network.
   */
  redisCommandTimeoutMs: number;
  /** Days a device or network stays "known" for an account after its last successful sign-in. */
  knownForDays: number;
  /** Surge: among attempts from devices unknown to their account, the share that fails. */
  surge: { failureShare: number; unknownUserShare: number; minAttempts10m: number; minAttemptsHour: number; tighten: number };
  thresholds: GuardThresholds;
  /** The shop-wide detector against the shop's own baseline (see shop-baseline.ts). */
  shopBaseline: { factor: number; sigmas: number; minHistoryMinutes: number; minExcess: number };
  /** Seconds a deny asks the client to wait. */
  denyRetryAfter: number;
  /** Webhook for owner notices instead of fanzha's notifications: POSTed JSON, HMAC-SHA256 signed. */
  webhook?: { url: string; secret: string };
}

export const DEFAULT_GUARD_CONFIG: GuardConfig = {
  failMode: 'open',
  redisKeyPrefix: 'fanzha:guard:',
  redisCommandTimeoutMs: 250,
  knownForDays: 180,
  surge: { failureShare: 0.4, unknownUserShare: 0.2, minAttempts10m: 20, minAttemptsHour: 30, tighten: 0.5 },
  thresholds: {
    ipFailuresHour: 10,
    prefixFailuresHour: 30,
    deviceFailuresHour: 10,
    ipFailedUsernamesHour: 4,
    prefixFailedUsernamesHour: 12,
    deviceFailedUsernamesDay: 3,
    ipUnknownUsersHour: 3,
    accountFailuresHour: 10,
    accountConsecutiveKnownDevice: 10,
    accountFailuresDeny: 25,
    ipFailuresDeny: 100,
    ipDenyFailureShare: 0.9,
    deviceFailedUsernamesDeny: 20,
    providerRegularAccountsDay: 5,
    providerCalmUnsuccessfulPerSuccess: 0.1,
    providerAttackedUnsuccessfulPerSuccess: 1,
  },
  // Twice the shop's normal, four Poisson deviations and ten events above it; trusted after a day
  // of calm minutes.
  shopBaseline: { factor: 2, sigmas: 4, minHistoryMinutes: 1440, minExcess: 10 },
  denyRetryAfter: 900,
};

export function loadGuardConfig(raw: unknown): GuardConfig {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Partial<GuardConfig> & Record<string, unknown>;
  const d = DEFAULT_GUARD_CONFIG;
  const cfg: GuardConfig = {
    ...d,
    ...r,
    surge: { ...d.surge, ...(r.surge ?? {}) },
    thresholds: { ...d.thresholds, ...(r.thresholds ?? {}) },
    shopBaseline: { ...d.shopBaseline, ...(r.shopBaseline ?? {}) },
  };
  if (!['open', 'challenge', 'closed'].includes(cfg.failMode)) throw new ConfigError('areas.guard.failMode must be "open", "challenge" or "closed"');
  if (typeof cfg.redisCommandTimeoutMs !== 'number' || !(cfg.redisCommandTimeoutMs > 0))
    throw new ConfigError('areas.guard.redisCommandTimeoutMs must be a positive number');
  for (const [k, v] of Object.entries(cfg.thresholds))
    if (typeof v !== 'number' || !(v > 0)) throw new ConfigError(`areas.guard.thresholds.${k} must be a positive number`);
  for (const [k, v] of Object.entries(cfg.shopBaseline))
    if (typeof v !== 'number' || !(v > 0)) throw new ConfigError(`areas.guard.shopBaseline.${k} must be a positive number`);
  for (const [k, v] of Object.entries(cfg.surge))
    if (typeof v !== 'number' || !(v > 0)) throw new ConfigError(`areas.guard.surge.${k} must be a positive number`);
  if (
    cfg.webhook &&
    (typeof cfg.webhook.url !== 'string' || !/^https?:\/\//.test(cfg.webhook.url) || typeof cfg.webhook.secret !== 'string' || cfg.webhook.secret.length < 16)
  ) {
    throw new ConfigError('areas.guard.webhook needs an http(s) url and a secret of at least 16 characters');
  }
  return cfg;
}
