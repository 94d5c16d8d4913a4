// The shop event contract (v1). One TypeBox schema per event type; each event of a batch is
// checked on its own so one bad event never costs the good ones.
import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import { ACCESS_FIELDS } from '../lib/fields.ts';

export const MAX_EVENTS_PER_REQUEST = 10_000;

const Id = Type.String({ minLength: 1, maxLength: 128, pattern: '^[^\\s\\u0000-\\u001f]+$' });
const FieldName = Type.Union(ACCESS_FIELDS.map((f) => Type.Literal(f)));
// Repeated names are harmless (fields become a bit mask), so no uniqueItems: its hashing is costly.
const Fields = Type.Array(FieldName, { minItems: 1, maxItems: ACCESS_FIELDS.length * 2 });
const ShortText = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Money = Type.Number({ minimum: 0, maximum: 1e12 });

export const EVENT_TYPES = [
  'customer.upserted',
  'principal.upserted',
  'order.placed',
  'refund.requested',
  'refund.completed',
  'refund.cancelled',
  'data.accessed',
  'export.created',
  'login.succeeded',
  'login.failed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Fields common to every event. `at` is checked by parseEventTime (format, offset, range). */
export const EventEnvelope = Type.Object({
  id: Id,
  type: Type.String({ minLength: 1, maxLength: 64 }),
  at: Type.String({ minLength: 1, maxLength: 40 }),
});

export const CustomerUpserted = Type.Object({
  customerId: Id,
  name: ShortText(100),
  phone: ShortText(40),
  email: Type.Optional(Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' })),
  address: Type.Optional(
    Type.Object({
      province: ShortText(40),
      city: ShortText(60),
      district: Type.Optional(ShortText(60)),
      line: Type.Optional(ShortText(300)),
    }),
  ),
  lang: Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en')])),
});

export const PrincipalUpserted = Type.Object({
  principalId: Id,
  kind: Type.Union([Type.Literal('staff'), Type.Literal('partner'), Type.Literal('system'), Type.Literal('api_client')]),
  name: ShortText(200),
  org: Type.Optional(ShortText(200)),
  team: Type.Optional(ShortText(200)),
});

export const OrderItem = Type.Object({
  sku: ShortText(100),
  title: ShortText(300),
  model: Type.Optional(ShortText(100)),
  color: Type.Optional(ShortText(60)),
  size: Type.Optional(ShortText(60)),
  price: Money,
  quantity: Type.Integer({ minimum: 1, maximum: 100_000 }),
});

export const OrderPlaced = Type.Object({
  orderId: Id,
  customerId: Id,
  items: Type.Array(OrderItem, { minItems: 1, maxItems: 500 }),
  total: Money,
  currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
});

export const RefundEvent = Type.Object({
  refundId: Id,
  orderId: Id,
  reason: Type.Optional(Type.String({ maxLength: 500 })),
});

export const DataAccessed = Type.Object({
  principalId: Id,
  customerId: Type.Optional(Id),
  orderId: Type.Optional(Id),
  fields: Fields,
  purpose: Type.Optional(Type.String({ maxLength: 200 })),
  channel: Type.Union([Type.Literal('console'), Type.Literal('api'), Type.Literal('export'), Type.Literal('batch')]),
  ip: Type.Optional(Type.String({ maxLength: 45 })),
});

export const ExportCreated = Type.Object({
  exportId: Id,
  principalId: Id,
  orderIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 1_000_000 })),
  customerIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 1_000_000 })),
  fields: Fields,
});

export const LoginEvent = Type.Object({
  customerId: Type.Optional(Id),
  username: Type.Optional(Type.String({ minLength: 1, maxLength: 254 })),
  ip: Type.Optional(Type.String({ maxLength: 45 })),
  deviceId: Type.Optional(Type.String({ maxLength: 200 })),
  userAgent: Type.Optional(Type.String({ maxLength: 1000 })),
});

export const EVENT_SCHEMAS: Record<EventType, TSchema> = {
  'customer.upserted': CustomerUpserted,
  'principal.upserted': PrincipalUpserted,
  'order.placed': OrderPlaced,
  'refund.requested': RefundEvent,
  'refund.completed': RefundEvent,
  'refund.cancelled': RefundEvent,
  'data.accessed': DataAccessed,
  'export.created': ExportCreated,
  'login.succeeded': LoginEvent,
  'login.failed': LoginEvent,
};

/** One event as sent: the envelope (with its type as a literal) and that type's fields, flat. */
const typed = <K extends EventType, B extends TObject>(type: K, body: B) =>
  Type.Composite(
    [Type.Object({ id: Id, type: Type.Literal(type), at: Type.String({ minLength: 1, maxLength: 40, description: 'ISO 8601 with offset' }) }), body],
    { title: type },
  );

/** Every event type, for the API document and the typed client (ingest validates each event against EVENT_SCHEMAS on its own). */
export const ShopEvent = Type.Union([
  typed('customer.upserted', CustomerUpserted),
  typed('principal.upserted', PrincipalUpserted),
  typed('order.placed', OrderPlaced),
  typed('refund.requested', RefundEvent),
  typed('refund.completed', RefundEvent),
  typed('refund.cancelled', RefundEvent),
  typed('data.accessed', DataAccessed),
  typed('export.created', ExportCreated),
  typed('login.succeeded', LoginEvent),
  typed('login.failed', LoginEvent),
]);
export type ShopEventT = Static<typeof ShopEvent>;

export type CustomerUpsertedEvent = Static<typeof CustomerUpserted>;
export type PrincipalUpsertedEvent = Static<typeof PrincipalUpserted>;
export type OrderPlacedEvent = Static<typeof OrderPlaced>;
export type RefundEventBody = Static<typeof RefundEvent>;
export type DataAccessedEvent = Static<typeof DataAccessed>;
export type ExportCreatedEvent = Static<typeof ExportCreated>;
export type LoginEventBody = Static<typeof LoginEvent>;

export const IngestResult = Type.Object({
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Array(
    Type.Object({
      index: Type.Integer(),
      id: Type.Optional(Type.String()),
      problem: Type.Object({
        type: Type.String(),
        title: Type.String(),
        detail: Type.Optional(Type.String()),
        errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
      }),
    }),
  ),
});
export type IngestResultT = Static<typeof IngestResult>;
