// What other areas need from notifications (the contacts/notify area implements it).
// Kept as a small port so guard, leaks and incidents can send notices without knowing
// about templates, channels or the outbox.
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
}

export interface Notifier {
  send(req: NoticeRequest): Promise<{ noticeId: string; duplicate: boolean }>;
}

declare module '../app/context.ts' {
  interface AreaServices {
    /** Present once the notify area is set up. */
    notifier?: Notifier;
  }
}
