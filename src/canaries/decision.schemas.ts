// HTTP schemas of the deciding step (canaries for an investigation's not-excluded principals).
import { Type } from '@sinclair/typebox';
import { CanaryOut, Contact, EventsOut, Scope } from './canaries.schemas.ts';

const Time = Type.String({ format: 'date-time', description: 'ISO 8601 with offset' });

export const PlantBody = Type.Object(
  {
    contacts: Type.Optional(
      Type.Array(Contact, {
        minItems: 1,
        maxItems: 10_000,
        description: "Watched contacts for the canaries, shared out in turn; the configured pool's unused ones when absent",
      }),
    ),
    maxCanaries: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Most canaries per principal (default 1000)' })),
    observationDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
    at: Type.Optional(Time),
  },
  { additionalProperties: false },
);

const PlanOut = Type.Object({
  principalId: Type.String(),
  scope: Scope,
  delivery: Type.Union([Type.Literal('export'), Type.Literal('inject')], {
    description: 'export: put the canaries as rows of its next exports; inject: into its feed only',
  }),
  canaries: Type.Integer({ description: 'Canaries needed for the miss probability' }),
  contactRate: Type.Number({ description: 'Victims it covered over the customers it read: the estimated chance a leaked record is contacted' }),
  missProbability: Type.Number(),
});

export const PlantReply = Type.Object({
  investigationId: Type.String(),
  observationDays: Type.Integer(),
  duplicate: Type.Boolean(),
  principals: Type.Array(
    Type.Object({
      principalId: Type.String(),
      scope: Scope,
      delivery: Type.String(),
      planned: Type.Integer(),
      created: Type.Integer(),
      missProbability: Type.Number({ description: 'Chance that none of the created canaries is contacted if this principal leaks' }),
      canaries: Type.Array(CanaryOut),
      events: EventsOut,
    }),
  ),
});

const EvidenceOut = Type.Object({
  kind: Type.String({ description: 'canary_trip, substitute_call or leak_match' }),
  canaryId: Type.Optional(Type.String()),
  callId: Type.Optional(Type.String({ description: 'substitute_call: the recorded call (GET /v1/exports/substitutes/calls)' })),
  tripId: Type.Optional(Type.String()),
  canaryIds: Type.Optional(Type.Array(Type.String())),
  substituteHits: Type.Optional(Type.Integer()),
  at: Time,
});

export const DecisionQuery = Type.Object({ observationDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })) });
export const DecisionBody = Type.Object(
  {
    leakedFile: Type.String({ minLength: 1, description: 'A leaked file (CSV, TSV, JSON lines, JSON, text), matched as by POST /v1/leaks/match' }),
    observationDays: DecisionQuery.properties.observationDays,
  },
  { additionalProperties: false },
);

export const DecisionReply = Type.Object({
  investigationId: Type.String(),
  status: Type.Union([Type.Literal('decided'), Type.Literal('observing'), Type.Literal('undecided')]),
  confirmed: Type.Array(Type.String()),
  summary: Type.String(),
  observationEndsAt: Type.Union([Time, Type.Null()]),
  plan: Type.Array(PlanOut),
  principals: Type.Array(
    Type.Object({
      principalId: Type.String(),
      status: Type.Union([Type.Literal('confirmed'), Type.Literal('not_confirmed'), Type.Literal('observing')]),
      canaries: Type.Integer(),
      plantedAt: Type.Union([Time, Type.Null()]),
      daysToEvidence: Type.Union([Type.Number(), Type.Null()]),
      evidence: Type.Array(EvidenceOut),
    }),
  ),
});
