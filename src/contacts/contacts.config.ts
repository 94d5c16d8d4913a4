import type { Config } from '../config/config.ts';

export interface ContactsConfig {
  /** A session that is not ended expires after this long (the app stops showing it). */
  sessionTtlMinutes: number;
  /** Session details are deleted this many hours after the session ended or expired. */
  retentionHours: number;
  /** Send the customer a contact.opened notice when a session opens. */
  notifyOnOpen: boolean;
  purgeIntervalMs: number;
}

const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : d);

export function contactsConfig(config: Config): ContactsConfig {
  const a = (config.areas.contacts ?? {}) as Record<string, unknown>;
  return {
    sessionTtlMinutes: num(a.sessionTtlMinutes, 30),
    retentionHours: num(a.retentionHours, 72),
    notifyOnOpen: a.notifyOnOpen !== false,
    purgeIntervalMs: num(a.purgeIntervalMs, 10 * 60_000),
  };
}
