// TypeBox schemas of the incidents API: validation, response serialisation and OpenAPI.
import { Type } from '@sinclair/typebox';
import { ACCESS_FIELDS, type AccessField } from '../lib/fields.ts';

const Id = Type.String({ minLength: 1, maxLength: 128 });
const Field = Type.Unsafe<AccessField>({ type: 'string', enum: [...ACCESS_FIELDS] });
const Fields = Type.Array(Field, { minItems: 1, maxItems: ACCESS_FIELDS.length, uniqueItems: true });
const Time = Type.String({ minLength: 10, maxLength: 40, description: 'ISO 8601' });
const Principals = Type.Array(Id, { minItems: 1, maxItems: 100, uniqueItems: true });

export const CreateIncident = Type.Object(
  {
    investigationId: Type.Optional(Id),
    canaryTripId: Type.Optional(Id),
    leakMatch: Type.Optional(
      Type.Object(
        { scope: Type.Object({ kind: Type.String({ maxLength: 32 }), id: Id }), at: Type.Optional(Time) },
        { additionalProperties: false, description: 'A candidate scope from POST /v1/leaks/match' },
      ),
    ),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    principalIds: Type.Optional(Principals),
    group: Type.Optional(
      Type.Object(
        { kind: Type.Union([Type.Literal('org'), Type.Literal('team')]), id: Id },
        { additionalProperties: false, description: 'By hand for a group of principals: every member of the org or team' },
      ),
    ),
    fields: Type.Optional(Fields),
    from: Type.Optional(Time),
    to: Type.Optional(Time),
    clientRef: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Idempotency reference' })),
  },
  { additionalProperties: false },
);

export const ScopeEdit = Type.Object(
  {
    principalIds: Type.Optional(Principals),
    fields: Type.Optional(Fields),
    from: Type.Optional(Time),
    to: Type.Optional(Time),
    reason: Type.String({ minLength: 3, maxLength: 500 }),
  },
  { additionalProperties: false },
);

export const CloseBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });

const Counts = Type.Record(Type.String(), Type.Integer());
export const Incident = Type.Object({
  id: Type.String(),
  title: Type.String(),
  state: Type.Union([Type.Literal('open'), Type.Literal('contained'), Type.Literal('notified'), Type.Literal('closed')]),
  source: Type.String(),
  sourceRef: Type.Union([Type.String(), Type.Null()]),
  principalIds: Type.Array(Type.String()),
  fields: Type.Array(Type.String()),
  from: Type.String(),
  to: Type.String(),
  affected: Type.Integer(),
  counts: Type.Object({ byField: Counts, byProvince: Counts }),
  containment: Type.Union([
    Type.Null(),
    Type.Object({
      keysRevoked: Type.Integer(),
      frozenPrincipals: Type.Array(Type.String()),
      webhook: Type.Object({ status: Type.String(), httpStatus: Type.Optional(Type.Integer()), error: Type.Optional(Type.String()), at: Type.Number() }),
    }),
  ]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const IncidentEvent = Type.Object({
  kind: Type.String(),
  fromState: Type.Union([Type.String(), Type.Null()]),
  toState: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  byKey: Type.Union([Type.String(), Type.Null()]),
  byName: Type.Union([Type.String(), Type.Null()]),
  byPrincipal: Type.Union([Type.String(), Type.Null()]),
  at: Type.String(),
});

export const IncidentDetail = Type.Intersect([Incident, Type.Object({ events: Type.Array(IncidentEvent) })]);

export const Progress = Type.Object({
  affected: Type.Integer(),
  enqueued: Type.Integer(),
  queued: Type.Integer(),
  sent: Type.Integer(),
  delivered: Type.Integer(),
  failed: Type.Integer(),
  suppressed: Type.Integer(),
  unreachable: Type.Integer({ description: 'Customers no channel of the route can reach' }),
  retrying: Type.Integer({ description: 'Notices waiting for another attempt after a failed one' }),
  retries: Type.Integer({ description: "Attempts beyond each notice's first" }),
  running: Type.Boolean(),
});
