// HTTP schemas of canaries, fingerprinted exports and leak matching (validation, serialisation, OpenAPI).
import { Type } from '@sinclair/typebox';
import { ACCESS_FIELDS } from '../lib/fields.ts';

const Id = Type.String({ minLength: 1, maxLength: 128, pattern: '^[^\\s\\u0000-\\u001f]+$' });
const Time = Type.String({ format: 'date-time', description: 'ISO 8601 with offset' });
const ScopeKind = Type.Union([Type.Literal('team'), Type.Literal('principal'), Type.Literal('export'), Type.Literal('api_client')]);
const Channel = Type.Union([Type.Literal('call'), Type.Literal('sms'), Type.Literal('email'), Type.Literal('other')]);

export const Scope = Type.Object({ kind: ScopeKind, id: Id }, { description: 'The one scope the canary is exposed to' });
export const Contact = Type.Object(
  {
    phone: Type.String({ minLength: 5, maxLength: 40, description: 'A mainland mobile number the shop watches (calls and SMS)' }),
    email: Type.Optional(Type.String({ minLength: 3, maxLength: 254, description: 'A mailbox the shop watches' })),
  },
  { additionalProperties: false },
);

export const CreateCanariesBody = Type.Object(
  {
    requestId: Type.Optional(Id),
    scope: Scope,
    contacts: Type.Array(Contact, { minItems: 1, maxItems: 100, description: 'One canary per watched contact' }),
    ordersPerCanary: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
    ids: Type.Optional(
      Type.Array(Type.Object({ customerId: Id, orderIds: Type.Array(Id, { minItems: 1, maxItems: 5 }) }, { additionalProperties: false }), {
        maxItems: 100,
        description: "The shop's own ids for each canary (same order as contacts), so they follow its id format; generated numeric ids otherwise",
      }),
    ),
    at: Type.Optional(Time),
  },
  { additionalProperties: false },
);

export const CanaryOut = Type.Object({
  id: Type.String(),
  customerId: Type.String(),
  orderIds: Type.Array(Type.String()),
  scope: Scope,
  recipientId: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  createdAt: Type.String(),
  trips: Type.Optional(Type.Integer()),
});

export const EventsOut = Type.Array(Type.Record(Type.String(), Type.Unknown()), {
  description: 'Shop events (customer.upserted, order.placed) to inject into the scope only',
});

export const CreateCanariesReply = Type.Object({ canaries: Type.Array(CanaryOut), events: EventsOut, duplicate: Type.Boolean() });

export const TripBody = Type.Object(
  {
    tripId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "Idempotency key: the phone line's call id, the mail's Message-ID" })),
    channel: Channel,
    at: Type.Optional(Time),
    from: Type.Optional(Type.String({ maxLength: 254, description: 'The number or address that made contact (stored only as a blind index)' })),
  },
  { additionalProperties: false },
);

export const TripByContactBody = Type.Object(
  {
    phone: Type.Optional(Type.String({ minLength: 5, maxLength: 40 })),
    email: Type.Optional(Type.String({ minLength: 3, maxLength: 254 })),
    tripId: TripBody.properties.tripId,
    channel: TripBody.properties.channel,
    at: TripBody.properties.at,
    from: TripBody.properties.from,
  },
  { additionalProperties: false },
);

export const TripOut = Type.Object({
  id: Type.String(),
  canaryId: Type.String(),
  channel: Type.String(),
  scope: Scope,
  at: Type.String(),
  receivedAt: Type.String(),
});
export const AlertOut = Type.Object({ trip: TripOut, duplicate: Type.Boolean(), message: Type.String() });

export const ListQuery = Type.Object({
  scopeKind: Type.Optional(ScopeKind),
  scopeId: Type.Optional(Id),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  after: Type.Optional(Id),
});
export const TripsQuery = Type.Object({ since: Type.Optional(Time), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) });

// ---- exports
const Field = Type.Union(ACCESS_FIELDS.map((f) => Type.Literal(f)));
export const CreateExportBody = Type.Object(
  {
    exportId: Type.Optional(Id),
    recipientId: Id,
    orderIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 200_000 })),
    customerIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 200_000 })),
    fields: Type.Array(Field, { minItems: 1, uniqueItems: true }),
    format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('json')])),
    phone: Type.Optional(Type.Union([Type.Literal('real'), Type.Literal('token'), Type.Literal('virtual')])),
    canaryRows: Type.Optional(Type.Integer({ minimum: 0, maximum: 20 })),
    canaryContacts: Type.Optional(Type.Array(Contact, { maxItems: 20 })),
    at: Type.Optional(Time),
  },
  { additionalProperties: false },
);

export const ExportOut = Type.Object({
  id: Type.String(),
  recipientId: Type.String(),
  subjectKind: Type.String(),
  fields: Type.Array(Type.String()),
  phone: Type.String(),
  format: Type.String(),
  records: Type.Integer(),
  canaryIds: Type.Array(Type.String()),
  at: Type.String(),
});
export const CreateExportReply = Type.Object({
  export: ExportOut,
  duplicate: Type.Boolean(),
  file: Type.Object({ contentType: Type.String(), content: Type.String() }),
});
export const ExportListQuery = Type.Object({
  recipientId: Type.Optional(Id),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  after: Type.Optional(Id),
});
export const SubstituteCallBody = Type.Object(
  {
    value: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'The substitute that was called or used: a rented virtual number (any common spelling) or a token',
    }),
    callId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "The phone line's call id: the same id twice is recorded once" })),
    channel: Type.Optional(Channel),
    at: TripBody.properties.at,
    from: TripBody.properties.from,
  },
  { additionalProperties: false },
);
export const SubstituteCallOut = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  recipientId: Type.String(),
  customerId: Type.String(),
  channel: Type.String(),
  at: Type.String(),
  receivedAt: Type.String(),
});
export const SubstituteCallAlert = Type.Object({
  call: SubstituteCallOut,
  exports: Type.Array(Type.String()),
  duplicate: Type.Boolean(),
  message: Type.String(),
});

export const SubstituteOut = Type.Object({
  items: Type.Array(
    Type.Object({ value: Type.String(), kind: Type.String(), recipientId: Type.String(), customerId: Type.String(), exports: Type.Array(Type.String()) }),
  ),
});

// ---- leak matching
export const MatchBody = Type.Object(
  {
    content: Type.String({ minLength: 1, description: 'The leaked file: CSV, TSV, JSON lines, a JSON array or pasted text' }),
    format: Type.Optional(
      Type.Union([Type.Literal('auto'), Type.Literal('csv'), Type.Literal('tsv'), Type.Literal('jsonl'), Type.Literal('json'), Type.Literal('text')]),
    ),
    alpha: Type.Optional(
      Type.Number({ minimum: 1e-9, maximum: 0.5, description: 'Above 0 (a minimum, not exclusiveMinimum: OpenAPI 3.0 and JSON Schema disagree on its form)' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);
const Num = Type.Number();
export const MatchReply = Type.Object({
  format: Type.String(),
  records: Type.Integer(),
  skippedLines: Type.Integer(),
  identifiers: Type.Object({ phones: Type.Integer(), emails: Type.Integer(), tokens: Type.Integer(), orderNumbers: Type.Integer(), names: Type.Integer() }),
  matched: Type.Object({ realCustomers: Type.Integer(), canaries: Type.Integer(), substitutes: Type.Integer(), unmatchedRecords: Type.Integer() }),
  population: Type.Integer(),
  recipientsTested: Type.Integer(),
  candidates: Type.Array(
    Type.Object({
      scope: Scope,
      score: Num,
      verdict: Type.String({ description: 'fingerprinted (canary or substitute found), significant (coverage beyond chance), weak' }),
      canaryHits: Type.Array(Type.Object({ canaryId: Type.String(), scope: Scope, via: Type.Array(Type.String()) })),
      substituteHits: Type.Integer(),
      coverage: Type.Object({
        found: Type.Integer(),
        covered: Type.Integer(),
        audience: Type.Integer(),
        expected: Num,
        pValue: Num,
        pCorrected: Num,
        coveredUnexplained: Type.Integer(),
        pUnexplainedCorrected: Num,
      }),
      exports: Type.Array(
        Type.Object({ exportId: Type.String(), at: Type.Union([Type.String(), Type.Null()]), size: Type.Integer(), covered: Type.Integer(), pValue: Num }),
      ),
      explanation: Type.String(),
    }),
  ),
});
