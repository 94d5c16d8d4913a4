import { Type, type Static } from '@sinclair/typebox';
import { NOTICE_TEMPLATES, type NoticeTemplate } from './notifier.port.ts';
import type { NoticeStatus } from './notify.tables.ts';

const STATUSES: NoticeStatus[] = ['pending', 'sending', 'sent', 'delivered', 'failed', 'dead', 'suppressed', 'skipped', 'unreachable'];

const Template = Type.Unsafe<NoticeTemplate>({ type: 'string', enum: [...NOTICE_TEMPLATES], description: 'Notice template' });
const Status = Type.Unsafe<NoticeStatus>({ type: 'string', enum: STATUSES });
const Time = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

export const SendNoticeBody = Type.Object(
  {
    customerId: Type.String({ minLength: 1, maxLength: 128 }),
    template: Template,
    vars: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.String({ maxLength: 200 }), Type.Number()]))),
    idempotencyKey: Type.String({ minLength: 1, maxLength: 200, description: 'The same key twice sends one notice' }),
    urgent: Type.Optional(Type.Boolean({ description: 'A warning about an ongoing scam: ignores quiet hours and the rate limit' })),
    channel: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);

export const Notice = Type.Object({
  id: Type.String(),
  idempotencyKey: Type.String(),
  template: Type.String(),
  customerId: Type.Union([Type.String(), Type.Null()]),
  orderId: Type.Union([Type.String(), Type.Null()]),
  channel: Type.String(),
  urgent: Type.Boolean(),
  source: Type.String(),
  status: Status,
  attempts: Type.Integer(),
  nextAttemptAt: Time,
  providerRef: Type.Union([Type.String(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Time,
  sentAt: Time,
  deliveredAt: Time,
});
export type NoticeT = Static<typeof Notice>;

export const SendNoticeResult = Type.Object({ id: Type.String(), duplicate: Type.Boolean(), status: Status });

export const ListNoticesQuery = Type.Object({
  status: Type.Optional(Status),
  customerId: Type.Optional(Type.String({ maxLength: 128 })),
  template: Type.Optional(Template),
  before: Type.Optional(Type.String({ maxLength: 64, description: 'Page: notices with ids below this one' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});

export const NoticeList = Type.Object({ items: Type.Array(Notice), next: Type.Union([Type.String(), Type.Null()]) });

export const ReceiptBody = Type.Object(
  {
    providerRef: Type.String({ minLength: 1, maxLength: 200, description: 'As shown in the notice (e.g. "twilio:SM…")' }),
    status: Type.Union([Type.Literal('delivered'), Type.Literal('failed')]),
    error: Type.Optional(Type.String({ maxLength: 120 })),
  },
  { additionalProperties: false },
);
export const ReceiptResult = Type.Object({ updated: Type.Integer() });
