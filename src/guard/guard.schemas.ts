import { Type, type Static } from '@sinclair/typebox';
import { REASONS, type Reason } from './guard.engine.ts';

const identity = {
  username: Type.Optional(Type.String({ minLength: 1, maxLength: 320, description: 'The login name as typed (never stored or logged; keyed hash only)' })),
  customerId: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: "The shop's customer id, when known (used for owner notices)" })),
  ip: Type.String({ minLength: 2, maxLength: 64, description: 'Client IP address (IPv4 or IPv6)' }),
  deviceId: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'A stable device identifier (cookie or app install id)' })),
  userAgent: Type.Optional(Type.String({ maxLength: 1024 })),
  passwordBreached: Type.Optional(Type.Boolean({ description: 'The submitted password is in a breach corpus (see /v1/passwords/range)' })),
};

export const EvaluateBody = Type.Object(identity, { additionalProperties: false });
export const ResultBody = Type.Object(
  {
    ...identity,
    outcome: Type.Union([Type.Literal('success'), Type.Literal('failure'), Type.Literal('unknown_user')]),
    attemptId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 128,
        description: "The shop's id for this attempt: a retried call with the same id is counted once and sends no second notice",
      }),
    ),
  },
  { additionalProperties: false },
);
export type EvaluateBody = Static<typeof EvaluateBody>;
export type ResultBody = Static<typeof ResultBody>;

export const EvaluateResponse = Type.Object({
  decision: Type.Union([Type.Literal('allow'), Type.Literal('challenge'), Type.Literal('deny')]),
  reasons: Type.Array(Type.Unsafe<Reason>({ type: 'string', enum: [...REASONS] })),
  retryAfter: Type.Optional(Type.Integer({ description: 'Seconds to wait (deny only)' })),
});

export const ResultResponse = Type.Object({
  recorded: Type.Boolean(),
  requirePasswordReset: Type.Boolean(),
  notices: Type.Array(Type.String()),
});

export const StatsQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  bucket: Type.Optional(Type.Union([Type.Literal('minute'), Type.Literal('hour'), Type.Literal('day')])),
  top: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});

export const StatsResponse = Type.Object({
  buckets: Type.Array(Type.Object({ at: Type.String(), allow: Type.Integer(), challenge: Type.Integer(), deny: Type.Integer() })),
  topPrefixes: Type.Array(Type.Object({ prefix: Type.String(), failures: Type.Integer(), challenged: Type.Integer(), denied: Type.Integer() })),
});
