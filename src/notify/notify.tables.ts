// The notification outbox table (migration 2026112708_contacts_notify).
/**
 * `suppressed`: never sent by design (the recipient is a canary customer, whose contact must stay unused).
 * `skipped`: recorded, never sent, with the reason in last_error (a refund event that arrived after
 * the warning window). `unreachable`: no channel of the customer's route has the contact data it needs.
 */
export type NoticeStatus = 'pending' | 'sending' | 'sent' | 'delivered' | 'failed' | 'dead' | 'suppressed' | 'skipped' | 'unreachable';

export interface NoticesTable {
  id: string;
  /** Unique: the same key twice stores (and sends) one notice. Passed to every provider. */
  idempotency_key: string;
  template: string;
  /** Null while a refund's order (or customer) has not arrived yet; resolved at delivery. */
  customer_id: string | null;
  order_id: string | null;
  /** JSON object of template variables (never contact data, card numbers or codes). */
  vars: string;
  channel: string;
  urgent: number;
  /** 'event' (an ingested event), 'api' (POST /v1/notifications) or the calling area's name. */
  source: string;
  status: NoticeStatus;
  attempts: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  provider_ref: string | null;
  /** A short error class and message from the provider, never contact data. */
  last_error: string | null;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
  delivered_at: number | null;
}

declare module '../db/schema.ts' {
  interface DB {
    notices: NoticesTable;
  }
}
