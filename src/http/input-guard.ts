// Input the storage layer cannot take, refused at the door with a 400 instead of a 500 deep down:
// text with NUL characters or unpaired UTF-16 surrogates (PostgreSQL text refuses both; SQLite
// would store them and hand them to everyone downstream), and numbers in paths and query strings
// that are not safe integers or finite (`limit=1e309`, an offset beyond 2^53). Runs for every
// route after validation; a route whose body items are checked one by one (POST /v1/events keeps
// the good events of a batch) says so with `config.bodyText: 'per-item'`.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findUnstorable } from '../lib/pii-text.ts';
import { problems } from './problem.ts';
import { safePointer, schemaKeys } from './safe-path.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** 'per-item': the handler checks the body's text item by item (see input-guard.ts). */
    bodyText?: 'per-item';
  }
}

function checkNumbers(where: string, v: unknown, known: ReadonlySet<string>) {
  if (!v || typeof v !== 'object') return;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    for (const n of Array.isArray(x) ? x : [x]) {
      if (typeof n === 'number' && !(Number.isFinite(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER)) {
        const path = safePointer(`/${k}`, known);
        throw problems.validation(`The ${where} parameter ${path} is out of range.`, [{ path, message: 'must be a finite number no larger than 2^53' }]);
      }
    }
  }
}

function checkText(where: string, v: unknown, known: ReadonlySet<string>) {
  const bad = findUnstorable(v, known);
  if (bad) throw problems.validation(`The ${where} at ${bad.path} ${bad.reason}; nothing was stored.`, [{ path: bad.path, message: bad.reason }]);
}

export function installInputGuard(app: FastifyInstance) {
  // A synchronous hook (callback style): no promise per request.
  app.addHook('preHandler', (req: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) => {
    try {
      const known = schemaKeys(req.routeOptions.schema);
      checkText('path', req.params, known);
      checkText('querystring', req.query, known);
      checkNumbers('path', req.params, known);
      checkNumbers('querystring', req.query, known);
      if (req.routeOptions.config?.bodyText !== 'per-item' && req.body !== undefined && typeof req.body === 'object') checkText('body', req.body, known);
    } catch (e) {
      done(e as Error);
      return;
    }
    done();
  });
}

/** Errors Fastify raises before routing (a malformed percent-encoding, an over-long parameter). */
export function frameworkError(err: Error & { code?: string }, _req: FastifyRequest, reply: FastifyReply) {
  const p =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? problems.badRequest('A path parameter is too long.')
      : problems.badRequest('The URL is not validly encoded (percent-encoding of UTF-8 expected).');
  reply.code(p.status).type('application/problem+json').send(p.toJSON());
}

/** Requests the HTTP parser cannot read: answered as problem+json, never with what was sent. */
export function clientErrorHandler(err: Error & { code?: string }, socket: import('node:net').Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, title] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request timeout']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request headers too large']
        : [400, 'Bad request'];
  const body = JSON.stringify({ type: 'https://fanzha.dev/problems/client-error', title, status, detail: 'The HTTP request could not be read.' });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${title}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/problem+json\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
