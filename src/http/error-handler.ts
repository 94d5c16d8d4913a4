// Maps every error to RFC 9457 problem+json. Validation messages come from the schema
// (they name the path and the rule, never the submitted value).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpProblem, PROBLEM_BASE, problems } from './problem.ts';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable, unavailableCode } from '../db/unavailable.ts';

function send(reply: FastifyReply, req: FastifyRequest, p: HttpProblem) {
  for (const [k, v] of Object.entries(p.headers)) reply.header(k, v);
  reply.code(p.status).type('application/problem+json').send(p.toJSON(req.url.split('?')[0]));
}

function fromFastify(err: FastifyError): HttpProblem {
  if (err instanceof HttpProblem) return err;
  if (err.validation) {
    const errors = err.validation.map((v) => ({ path: v.instancePath || '/', message: v.message ?? 'invalid' }));
    const where = err.validationContext ?? 'request';
    return problems.validation(`The ${where} failed validation: ${errors.slice(0, 3).map((e) => `${e.path} ${e.message}`).join('; ')}`, errors);
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
  }
  if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return problems.badRequest('The body is not valid JSON. Nothing was stored.');
  }
  if (isDatabaseUnavailable(err)) {
    return problems.unavailable('The database did not answer in time. Retry later (repeating an event batch is safe: each event id is stored once).', DATABASE_RETRY_AFTER_SECONDS, 'database-unavailable', 'Database unavailable');
  }
  const status = err.statusCode ?? 500;
  if (status === 429) return problems.tooMany('Too many requests; slow down.', 60);
  if (status >= 400 && status < 500) return new HttpProblem(status, 'client-error', 'Request refused', undefined);
  return new HttpProblem(500, 'internal', 'Internal error', 'The server failed to handle this request; it has been logged.');
}

export function installErrorHandlers(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const p = fromFastify(err);
    // an outage is expected operation: one warning with the code, not a stack per request
    if (p.slug === 'database-unavailable') req.log.warn({ code: unavailableCode(err) }, 'database unavailable');
    else if (p.status >= 500) req.log.error({ err }, 'request failed');
    send(reply, req, p);
  });
  app.setNotFoundHandler((req, reply) => {
    send(reply, req, new HttpProblem(404, 'not-found', 'Not found', `No endpoint ${req.method} ${req.url.split('?')[0]}.`));
  });
}

export { PROBLEM_BASE };
