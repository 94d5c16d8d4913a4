// What other areas need from notifications (the contacts/notify area implements it).
// Kept as a small port so guard, leaks and incidents can send notices without knowing
// about templates, channels or the outbox.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

export const NOTICE_TEMPLATES = [
  'refund.requested',
  'refund.completed',
  'login.new_device',
  'login.breached_password',
  'account.password_changed',
  'account.phone_changed',
  'account.address_changed',
  'contact.opened',
  'incident.notice',
] as const;
export type NoticeTemplate = (typeof NOTICE_TEMPLATES)[number];

export interface NoticeRequest {
  customerId: string;
  template: NoticeTemplate;
  /** Template variables; never card numbers or codes. */
  vars?: Record<string, string | number>;
  /** The same key twice sends one notice. */
  idempotencyKey: string;
  /** A warning about an ongoing scam: ignores quiet hours. */
  urgent?: boolean;
  /** A configured channel (log, webhook, smtp, aliyun, tencent, twilio); default from config. */
  channel?: string;
}

export interface SendOptions {
  /**
   * Write the notice in this transaction (a Kysely Transaction<DB>), so it exists exactly when the
   * caller's own change commits. Without it the notice is written on its own.
   */
  db?: Kysely<DB>;
  /** Who asked (an area name); shown in the notice list. */
  source?: string;
}

export interface Notifier {
  send(req: NoticeRequest, opts?: SendOptions): Promise<{ noticeId: string; duplicate: boolean }>;
  /** Many notices in chunked multi-row inserts (an incident notifying 100,000 customers). */
  sendMany?(reqs: readonly NoticeRequest[], opts?: SendOptions): Promise<{ noticeId: string; duplicate: boolean }[]>;
  /** Notices whose idempotency key starts with the prefix, counted by status (an incident's progress). */
  statusCounts?(idempotencyKeyPrefix: string): Promise<Record<string, number>>;
  /** Of those notices: how many wait for another attempt after a failed one, and how many attempts were repeats. */
  retryCounts?(idempotencyKeyPrefix: string): Promise<{ retrying: number; retries: number }>;
}

declare module '../app/context.ts' {
  interface AreaServices {
    /** Present once the notify area is set up. */
    notifier?: Notifier;
  }
}
