// Documents every route's RFC 9457 error answers in its own schema (so in /openapi.json too): an
// onRoute hook adds, to each /v1 route, a response per status the route can return, all pointing
// at the one shared Problem schema, and `security: []` to public routes. The statuses follow from
// what the route declares — inputs (400), a body (413, 415), roles (401, 403), a path id (404), a
// rate limit (429), storage behind it (503) — plus the domain errors a route names itself in
// `config.problems` (409 conflict, 422 unprocessable, 429 quotas…). The schemas also serialise the
// error answers, so Problem keeps its extensions (additionalProperties).
import type { RouteOptions } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { RouteAuth } from './roles.ts';

export const PROBLEM_SCHEMA_ID = 'Problem';

/** RFC 9457 problem details as fanzha sends them (src/http/problem.ts). */
export const Problem = Type.Object(
  {
    type: Type.String({ description: 'Problem type URI under https://fanzha.dev/problems/' }),
    title: Type.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String({ description: 'The route template, never the URL' })),
    errors: Type.Optional(
      Type.Array(Type.Object({ path: Type.String(), message: Type.String() }), { description: 'Validation failures (no submitted values)' }),
    ),
    retryAfter: Type.Optional(Type.Integer({ description: 'Seconds, as in the Retry-After header (429)' })),
  },
  { $id: PROBLEM_SCHEMA_ID, additionalProperties: true, description: 'RFC 9457 problem details; an area may add extension members' },
);
export type ProblemT = Static<typeof Problem>;

export const PROBLEM_STATUS_TEXT: Record<number, string> = {
  400: 'Bad request: the request failed validation or breaks a rule (problem+json)',
  401: 'No valid API key or console session',
  403: "The caller's role may not use this endpoint",
  404: 'What the path names does not exist',
  409: 'Conflict with the current state',
  413: 'The request is larger than this endpoint accepts',
  415: 'Unsupported Content-Type',
  422: 'Well-formed but cannot be processed',
  429: 'Rate limit or quota reached; see Retry-After',
  500: 'Internal error (logged)',
  503: 'A dependency (database, worker) is unavailable; see Retry-After',
};

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Statuses of domain errors this route can answer besides those its declaration implies. */
    problems?: readonly number[];
  }
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The error statuses a route can answer, from its declaration (see the header comment). */
export function problemStatuses(route: Pick<RouteOptions, 'method' | 'schema' | 'config'>): number[] {
  const schema = (route.schema ?? {}) as Record<string, unknown>;
  const config = (route.config ?? {}) as { auth?: RouteAuth; rateLimit?: unknown; problems?: readonly number[] };
  const methods = [route.method].flat();
  const out = new Set<number>([...(config.problems ?? []), 500, 503]);
  const takesBody = methods.some((m) => BODY_METHODS.has(m)) && !!schema.body;
  if (schema.params || schema.querystring || schema.headers || takesBody) out.add(400);
  if (takesBody) for (const s of [413, 415]) out.add(s);
  if (config.auth && config.auth !== 'public') for (const s of [401, 403]) out.add(s);
  if (schema.params) out.add(404);
  if (config.rateLimit) out.add(429);
  return [...out].sort((a, b) => a - b);
}

/** onRoute hook: complete a /v1 route's schema with its error answers and its security. */
export function documentProblems(route: RouteOptions) {
  if (!route.url.startsWith('/v1/')) return;
  const schema = (route.schema ??= {}) as Record<string, unknown> & { response?: Record<string, unknown>; hide?: boolean };
  if (schema.hide) return;
  const auth = (route.config as { auth?: RouteAuth } | undefined)?.auth;
  if (auth === 'public' && schema.security === undefined) schema.security = [];
  const response = (schema.response = { ...(schema.response ?? {}) });
  for (const status of problemStatuses(route)) {
    response[status] ??= {
      description: PROBLEM_STATUS_TEXT[status] ?? 'Problem',
      content: { 'application/problem+json': { schema: Type.Ref(Problem) } },
    };
  }
}

/** Bytes (a Buffer in the handler, `format: binary` in the document). */
export const BinaryBody = Type.Unsafe<Buffer | string>({ type: 'string', format: 'binary' });

/**
 * A 200 that is not JSON (a file, a text list): its media types, documented with the bytes' shape.
 * Fastify sends a string or Buffer with its own Content-Type as is, so this schema only documents.
 */
export function fileResponse(description: string, mediaTypes: readonly string[], binary = false) {
  const schema = binary ? BinaryBody : Type.String();
  return { description, content: Object.fromEntries(mediaTypes.map((m) => [m, { schema }])) };
}
