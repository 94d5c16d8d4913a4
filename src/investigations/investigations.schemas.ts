// TypeBox schemas of the investigations API: validation, response serialisation and OpenAPI.
import { Type, type Static } from '@sinclair/typebox';
import { defaulted } from '../lib/defaulted.ts';
import { ACCESS_FIELDS, type AccessField } from '../lib/fields.ts';

const Id = Type.String({ minLength: 1, maxLength: 128 });
const Field = Type.Unsafe<AccessField>({ type: 'string', enum: [...ACCESS_FIELDS] });
const Fields = Type.Array(Field, { maxItems: ACCESS_FIELDS.length, uniqueItems: true });
const Time = Type.String({ format: 'date-time', description: 'ISO 8601' });

export const VictimInput = Type.Object(
  {
    customerId: Type.Optional(Id),
    orderId: Type.Optional(Id),
    contactAt: Type.String({ minLength: 10, maxLength: 40, description: 'When the fake customer service contacted the victim (ISO 8601)' }),
    knewFields: Type.Array(Field, {
      minItems: 1,
      maxItems: ACCESS_FIELDS.length,
      uniqueItems: true,
      description: 'What the caller knew about the victim and the order',
    }),
  },
  { additionalProperties: false },
);

export const InvestigationRequest = Type.Object(
  {
    victims: Type.Optional(Type.Array(VictimInput, { minItems: 1, maxItems: 10_000 })),
    reportIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 10_000 })),
    caseId: Type.Optional(Id),
    clientRef: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, description: 'Idempotency reference: the same value returns the investigation already made' }),
    ),
    settings: Type.Optional(
      Type.Object(
        {
          alpha: Type.Optional(
            Type.Number({ minimum: 1e-9, maximum: 0.05, description: 'Family-wise error rate for naming a principal, above 0 (default 0.001)' }),
          ),
          windowDays: Type.Optional(
            Type.Integer({ minimum: 1, maximum: 365, description: 'A read counts if made at most this many days before the contact (default 60)' }),
          ),
          minCovered: Type.Optional(Type.Integer({ minimum: 2, maximum: 1000, description: 'Fewest covered victims for an attribution (default 3)' })),
          minSelectionBias: Type.Optional(
            Type.Number({
              minimum: 1,
              maximum: 1000,
              description:
                'Reporting bias (odds ratio) the population comparison must survive to attribute a partner, API client or group on its own (default 5)',
            }),
          ),
          minSelectionBiasAssigned: Type.Optional(
            Type.Number({ minimum: 1, maximum: 1000, description: 'The same for staff and systems, whose work the shop assigns (default 2)' }),
          ),
          minSelectionBiasTimed: Type.Optional(
            Type.Number({
              minimum: 1,
              maximum: 1000,
              description:
                "Reporting bias the timing comparison against customers at the same point of their order's life must survive, for partners, API clients and groups (default 1; staff and systems always 1)",
            }),
          ),
          burstAlphaShare: Type.Optional(
            Type.Number({
              minimum: 0,
              maximum: 0.9,
              description:
                'Share of α given to principals with a read burst in the window (an hour of reads far above their own busiest hour of the two weeks before), found in the access log before any report (default 0.25; 0: every principal weighs the same)',
            }),
          ),
          hazardDays: Type.Optional(
            Type.Number({ minimum: 0.25, maximum: 60, description: 'Hazard window of the self-controlled comparison, in days before the contact (default 3)' }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type InvestigationRequestT = Static<typeof InvestigationRequest>;

const PrincipalRef = {
  principalId: Type.String(),
  name: Type.Optional(Type.String()),
  kind: Type.Optional(Type.String()),
  org: Type.Optional(Type.String()),
  team: Type.Optional(Type.String()),
};
/** A suspect is a principal, or a group of principals sharing an org or team (principalId null). */
const SuspectRef = {
  ...PrincipalRef,
  principalId: Type.Union([Type.String(), Type.Null()], { description: 'null for a group (kind "org" or "team")' }),
};
const VictimRef = Type.Object({
  customerId: Type.String(),
  orderId: Type.Optional(Type.String()),
  reportId: Type.Optional(Type.String()),
  contactAt: Time,
  knewFields: Fields,
});
const Log10 = (description: string) => Type.Number({ description: `${description} (log10; never underflows)` });

export const Investigation = Type.Object({
  id: Type.String(),
  createdAt: Time,
  caseId: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'The case it was run on (its timeline lists it), or null' })),
  verdict: Type.Union([Type.Literal('attributed'), Type.Literal('inconclusive'), Type.Literal('consistent_with_account_takeover')]),
  summary: Type.String(),
  settings: Type.Object({
    alpha: Type.Number(),
    windowDays: Type.Number(),
    minCovered: Type.Number(),
    maxRounds: Type.Number(),
    notExcludedCoverage: Type.Number(),
    minSelectionBias: Type.Number(),
    minSelectionBiasAssigned: Type.Number(),
    minSelectionBiasTimed: Type.Number(),
    hazardDays: Type.Number(),
    burstAlphaShare: Type.Number(),
  }),
  victims: Type.Object({
    given: Type.Integer(),
    used: Type.Integer(),
    orderLevel: Type.Integer({ description: 'Victims judged by the order the caller quoted (the others by customer)' }),
    canaries: Type.Integer(),
    unresolved: Type.Array(Type.Object({ index: Type.Integer(), reason: Type.String() })),
  }),
  population: Type.Array(Type.Object({ stratum: Type.String(), size: Type.Integer(), victims: Type.Integer() })),
  familySize: Type.Integer({ description: 'Principals and groups counted in the multiple-testing correction' }),
  alphaSpent: Type.Object(
    { alpha: Type.Number(), tests: Type.Number(), baseRateSampling: Type.Number(), readBursts: Type.Number() },
    {
      description:
        'How the family-wise α was spent: on the tests (readBursts of it on the principals with a read burst in the window, 0 when none), and on the chance that a sampled base rate is underestimated',
    },
  ),
  readBursts: Type.Array(Type.Object(PrincipalRef), {
    description: 'Principals with a read burst in the window (found in the access log, before any report): tested at a larger share of α',
  }),
  rounds: Type.Array(
    Type.Object({
      round: Type.Integer(),
      alpha: Type.Number({ description: 'Level of a hypothesis without a read burst in this round (weighted Holm: its weight over the weight left)' }),
      alphaReadBurst: Type.Number({ description: 'Level of a principal with a read burst in this round (0 when there is none)' }),
      family: Type.Integer(),
      victims: Type.Integer(),
      attributed: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  suspects: Type.Array(
    Type.Object({
      ...SuspectRef,
      status: Type.Union([Type.Literal('attributed'), Type.Literal('associated'), Type.Literal('not_excluded'), Type.Literal('not_significant')]),
      round: Type.Integer(),
      covered: Type.Integer({
        description: 'Victims whose data the suspect read, with at least the fields the caller knew, before the contact (within windowDays)',
      }),
      tested: Type.Integer(),
      missed: Type.Integer(),
      expectedCoverage: Type.Number({ description: 'Coverage expected if the suspect had nothing to do with it' }),
      baseRates: Type.Array(Type.Object({ stratum: Type.String(), rate: Type.Number() })),
      sampledBaseRates: Type.Boolean({ description: 'Base rates are exact upper confidence bounds from a sample (heavy readers, groups)' }),
      readBurst: Type.Boolean({ description: 'The principal had a read burst in the window: tested at its share of burstAlphaShare' }),
      pValue: Type.Number({ description: 'Against chance alone (may underflow to 0: see log10PValue)' }),
      log10PValue: Log10('p-value against chance alone'),
      adjustedPValue: Type.Number({ description: 'Holm-adjusted decision p-value over every principal and group' }),
      log10AdjustedPValue: Log10('Holm-adjusted decision p-value'),
      selectionBiasToExplain: Type.Number({
        description:
          "How many times likelier reporters would have to be among the customers this suspect read for chance to explain its coverage at the investigation's α",
      }),
      biasGuarded: Type.Number({
        description:
          'The reporting bias the population comparison had to survive for this suspect (minSelectionBias, or minSelectionBiasAssigned for staff and systems)',
      }),
      selfControlled: Type.Object(
        { log10PValue: Type.Number(), inHazardWindow: Type.Integer(), informative: Type.Integer(), expected: Type.Number() },
        {
          description:
            "Victims read in the hazard window (hazardDays before the contact) vs the same victims' earlier quiet windows (case-crossover): log10 p, victims read in the hazard window, victims with a read in a quiet window, and the number expected",
        },
      ),
      timed: Type.Object(
        {
          log10PValue: Type.Number(),
          inHazardWindow: Type.Integer(),
          informative: Type.Integer(),
          expected: Type.Number(),
          biasTimed: Type.Number(),
          selectionBiasToExplain: Type.Number(),
          log10PValueMatched: Type.Number(),
          log10PValueStratum: Type.Union([Type.Number(), Type.Null()]),
        },
        {
          description:
            'Victims read in the hazard window vs units at the same point of their life at the same moment (same stratum, same kind of last event, as long before; under biasTimed) and vs their whole stratum in the same window (under biasGuarded): log10 p (the larger of the two), victims read in the hazard window, victims with a matched set, the number expected from the matched units, the bias among customers at the same point of their life that would explain the matched comparison (1 when not computed); log10PValueStratum is null when the matched comparison alone could not reach the level',
        },
      ),
      members: Type.Optional(
        Type.Array(Type.Object({ principalId: Type.String(), name: Type.Optional(Type.String()), covered: Type.Integer() }), {
          description: 'For a group: the members that covered victims',
        }),
      ),
      memberIds: Type.Optional(Type.Array(Type.String(), { description: 'For a group: every member (containment acts on all of them)' })),
      evidence: Type.Array(
        Type.Object({
          victim: VictimRef,
          reads: Type.Array(
            Type.Object({ at: Time, fields: Fields, channel: Type.String(), orderId: Type.Optional(Type.String()), principalId: Type.String() }),
          ),
        }),
      ),
    }),
  ),
  notExcluded: Type.Array(
    Type.Object({
      ...PrincipalRef,
      reason: Type.Union([Type.Literal('reads_nearly_all'), Type.Literal('associated')], {
        description: 'reads_nearly_all: read (nearly) every victim; associated: significant against chance, not robust to reporting bias',
      }),
      covered: Type.Integer(),
      tested: Type.Integer(),
      expectedCoverage: Type.Number(),
      selectionBiasToExplain: Type.Number(),
      decideWith: Type.Array(Type.String()),
    }),
  ),
  accountTakeover: Type.Object({ victimsWithPattern: Type.Integer(), share: Type.Number(), customerIds: Type.Array(Type.String()) }),
  atRisk: Type.Array(Type.Object({ ...SuspectRef, since: Time, count: Type.Integer(), customerIds: Type.Array(Type.String()), truncated: Type.Boolean() })),
  unexplainedVictims: Type.Integer(),
  notes: Type.Array(Type.String()),
  durationMs: Type.Integer(),
});
export type InvestigationT = Static<typeof Investigation>;

export const InvestigationSummary = Type.Object({
  id: Type.String(),
  verdict: Type.String(),
  victims: Type.Integer(),
  source: Type.String(),
  caseId: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'The case it was run on (source "case")' })),
  createdAt: Time,
});
export const InvestigationListQuery = Type.Object({
  limit: defaulted(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: defaulted(Type.Integer({ minimum: 0, default: 0 })),
  verdict: Type.Optional(Type.Union([Type.Literal('attributed'), Type.Literal('inconclusive'), Type.Literal('consistent_with_account_takeover')])),
  caseId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  sort: defaulted(Type.Union([Type.Literal('created'), Type.Literal('victims')], { default: 'created' })),
  order: defaulted(Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'desc' })),
});
