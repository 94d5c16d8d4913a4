import { Type, type Static } from '@sinclair/typebox';

const Time = Type.String({ format: 'date-time' });
const NullableTime = Type.Union([Time, Type.Null()]);
const ChannelT = Type.Unsafe<'phone' | 'sms' | 'chat'>({ type: 'string', enum: ['phone', 'sms', 'chat'] });
const StatusT = Type.Unsafe<'open' | 'ringing' | 'connected' | 'ended'>({ type: 'string', enum: ['open', 'ringing', 'connected', 'ended'] });

export const OpenContactBody = Type.Object(
  {
    customerId: Type.String({ minLength: 1, maxLength: 128 }),
    orderId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    channel: ChannelT,
    reason: Type.String({ minLength: 1, maxLength: 200, description: 'Why the shop contacts the customer; shown to the customer' }),
  },
  { additionalProperties: false },
);

export const ContactSession = Type.Object({
  id: Type.String(),
  customerId: Type.String(),
  orderId: Type.Union([Type.String(), Type.Null()]),
  channel: Type.String(),
  reason: Type.String(),
  status: StatusT,
  staffName: Type.String({ description: 'Given name or form of address only (e.g. 小王)' }),
  team: Type.Union([Type.String(), Type.Null()]),
  phrase: Type.String({ description: 'Spoken check phrase: two common words' }),
  createdAt: Time,
  expiresAt: Time,
  ringingAt: NullableTime,
  connectedAt: NullableTime,
  endedAt: NullableTime,
});
export type ContactSessionT = Static<typeof ContactSession>;

export const UpdateContactBody = Type.Object(
  { status: Type.Unsafe<'ringing' | 'connected' | 'ended'>({ type: 'string', enum: ['ringing', 'connected', 'ended'] }) },
  { additionalProperties: false },
);

/** What the shop's app shows; deliberately without the staff member's principal id. */
export const StatusSession = Type.Object({
  id: Type.String(),
  channel: Type.String(),
  status: StatusT,
  staffName: Type.String(),
  team: Type.Union([Type.String(), Type.Null()]),
  orderId: Type.Union([Type.String(), Type.Null()]),
  reason: Type.String(),
  phrase: Type.String(),
  startedAt: Time,
  expiresAt: Time,
});

export const ContactStatusView = Type.Object({
  customerId: Type.String(),
  contacting: Type.Boolean({ description: 'True while a session is open (not ended, not expired)' }),
  session: Type.Union([StatusSession, Type.Null()], { description: 'The most recent active session' }),
  lastContactAt: NullableTime,
  lastContactChannel: Type.Union([Type.String(), Type.Null()]),
  lang: Type.String(),
  message: Type.String({ description: "Ready-to-show text in the customer's language" }),
});

export const ContactStatusQuery = Type.Object({ lang: Type.Optional(Type.Unsafe<'zh-CN' | 'en'>({ type: 'string', enum: ['zh-CN', 'en'] })) });

export const ContactStats = Type.Object({
  items: Type.Array(Type.Object({ day: Type.String(), channel: Type.String(), team: Type.String(), sessions: Type.Integer(), connected: Type.Integer() })),
});
export const ContactStatsQuery = Type.Object({
  from: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
  to: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
});
