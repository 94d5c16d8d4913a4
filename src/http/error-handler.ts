// Maps every error to RFC 9457 problem+json, in this one place: the domain's errors (DomainError
// from src/lib/errors.ts, thrown by services; the category gives the status), the HTTP layer's own
// problems (HttpProblem: authentication, request-level checks in routes files), and Fastify's
// errors. Validation messages come from the schema (they name the path and the rule, never the
// submitted value). Routes files do not catch and translate errors.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpProblem, PROBLEM_BASE, problems } from './problem.ts';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable, unavailableCode } from '../db/unavailable.ts';
import { safePointer, schemaKeys } from './safe-path.ts';
import { DomainError, type ErrorCategory } from '../lib/errors.ts';

/** Status, and the problem type and title a domain error gets unless it names its own. */
const CATEGORIES: Record<ErrorCategory, { status: number; type: string; title: string }> = {
  invalid: { status: 400, type: 'bad-request', title: 'Bad request' },
  validation: { status: 400, type: 'validation', title: 'Request failed validation' },
  unauthenticated: { status: 401, type: 'unauthorized', title: 'Authentication required' },
  forbidden: { status: 403, type: 'forbidden', title: 'Not allowed' },
  'not-found': { status: 404, type: 'not-found', title: 'Not found' },
  conflict: { status: 409, type: 'conflict', title: 'Conflict' },
  'too-large': { status: 413, type: 'too-large', title: 'Request too large' },
  unprocessable: { status: 422, type: 'unprocessable', title: 'Unprocessable request' },
  'rate-limited': { status: 429, type: 'rate-limited', title: 'Too many requests' },
  unavailable: { status: 503, type: 'unavailable', title: 'Service unavailable' },
  internal: { status: 500, type: 'internal', title: 'Internal error' },
};

function problemOf(e: DomainError): HttpProblem {
  const c = CATEGORIES[e.category];
  const p = e.problem;
  const detail = p.detail ?? e.message;
  if (e.category === 'rate-limited') return problems.tooMany(detail, p.retryAfterSeconds ?? 60, p.type ?? c.type);
  // unavailable is temporary: say when to come back (e.g. access-log-unavailable while the database is down)
  if (e.category === 'unavailable')
    return problems.unavailable(detail, p.retryAfterSeconds ?? DATABASE_RETRY_AFTER_SECONDS, p.type ?? c.type, p.title ?? c.title);
  return new HttpProblem(c.status, p.type ?? c.type, p.title ?? c.title, detail, p.extensions ?? {});
}

/**
 * `instance` names the route template ("/v1/customers/:id"), never the URL: a path may carry a
 * phone number or another identifier the client sent.
 */
function send(reply: FastifyReply, req: FastifyRequest, p: HttpProblem) {
  for (const [k, v] of Object.entries(p.headers)) reply.header(k, v);
  reply.code(p.status).type('application/problem+json').send(p.toJSON(req.routeOptions?.url));
}

function fromFastify(err: FastifyError, req: FastifyRequest): HttpProblem {
  if (err instanceof HttpProblem) return err;
  if (err instanceof DomainError) return problemOf(err);
  if (err.validation) {
    // instancePath names the keys of free-form records and unknown properties: submitted data
    const known = schemaKeys(req.routeOptions?.schema);
    const errors = err.validation.map((v) => ({ path: safePointer(v.instancePath || '/', known), message: v.message ?? 'invalid' }));
    const where = err.validationContext ?? 'request';
    return problems.validation(
      `The ${where} failed validation: ${errors
        .slice(0, 3)
        .map((e) => `${e.path} ${e.message}`)
        .join('; ')}`,
      errors,
    );
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problems.tooLarge('The request body is larger than this endpoint accepts. Nothing was stored.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problems.unsupportedMedia('Send application/json (or application/x-ndjson where the endpoint says so).');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problems.badRequest('The body is empty but the content type says JSON.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problems.badRequest('The Content-Length header does not match the body.');
    case 'FST_ERR_CTP_INVALID_CONTENT_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return problems.unsupportedMedia('The Content-Type header is not valid.');
  }
  if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return problems.badRequest('The body is not valid JSON. Nothing was stored.');
  }
  if (isDatabaseUnavailable(err)) {
    return problems.unavailable(
      'The database did not answer in time. Retry later (repeating an event batch is safe: each event id is stored once).',
      DATABASE_RETRY_AFTER_SECONDS,
      'database-unavailable',
      'Database unavailable',
    );
  }
  const status = err.statusCode ?? 500;
  if (status === 429) return problems.tooMany('Too many requests; slow down.', 60);
  if (status >= 400 && status < 500) return new HttpProblem(status, 'client-error', 'Request refused', undefined);
  return new HttpProblem(500, 'internal', 'Internal error', 'The server failed to handle this request; it has been logged.');
}

export function installErrorHandlers(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const p = fromFastify(err, req);
    // an outage is expected operation: one warning with the code, not a stack per request
    if (p.slug === 'database-unavailable') req.log.warn({ code: unavailableCode(err) }, 'database unavailable');
    else if (p.status >= 500) req.log.error({ err }, 'request failed');
    send(reply, req, p);
  });
  app.setNotFoundHandler((req, reply) => {
    send(reply, req, new HttpProblem(404, 'not-found', 'Not found', 'No such endpoint (see /openapi.json).'));
  });
}

export { PROBLEM_BASE };
