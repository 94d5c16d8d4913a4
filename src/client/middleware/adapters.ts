// Express, Fastify and Koa adapters of the AccessRecorder. None imports its framework: each takes
// the request/response shapes it needs structurally, so the shop's own framework version is used
// and fanzha adds no runtime dependency. A read is recorded once the response succeeded (< 400),
// with the principal the shop's `principal` function finds on the request (its session).
import type { AccessMatch } from './access-rules.ts';
import type { AccessRecorder } from './recorder.ts';

const REFUSAL = JSON.stringify({
  type: 'https://fanzha.dev/problems/access-log-unavailable',
  title: 'Access log unavailable',
  status: 503,
  detail: 'Customer data is served only while reads can be recorded; the access log buffer is full. Retry later.',
});

export interface MiddlewareOptions<Req> {
  /** The signed-in staff member's principal id (as sent to fanzha in principal.upserted). */
  principal: (req: Req) => string | undefined;
}

// ---- Express (and plain Node http handlers) ----
type Headers = Record<string, string | string[] | undefined>;

export interface ExpressLikeRequest {
  method: string;
  headers: Headers;
  url: string;
  originalUrl?: string;
  ip?: string;
}
export interface ExpressLikeResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
  once(event: 'finish', listener: () => void): unknown;
}

export function fanzhaExpress<Req extends ExpressLikeRequest>(recorder: AccessRecorder, opts: MiddlewareOptions<Req>) {
  return (req: Req, res: ExpressLikeResponse, next: (err?: unknown) => void) => {
    const m = recorder.match(req.method, req.originalUrl ?? req.url);
    if (!m) return next();
    if (recorder.refuses()) return refuse(res);
    res.once('finish', () => {
      if (res.statusCode < 400) recorder.record(m, opts.principal(req), req.ip);
    });
    next();
  };
}

function refuse(res: ExpressLikeResponse) {
  res.statusCode = 503;
  res.setHeader('content-type', 'application/problem+json');
  res.setHeader('retry-after', '30');
  res.end(REFUSAL);
}

// ---- Koa ----
export interface KoaLikeContext {
  method: string;
  headers: Headers;
  url: string;
  ip?: string;
  status: number;
  body: unknown;
  set(name: string, value: string): void;
}

export function fanzhaKoa<Ctx extends KoaLikeContext>(recorder: AccessRecorder, opts: MiddlewareOptions<Ctx>) {
  return async (ctx: Ctx, next: () => Promise<unknown>) => {
    const m = recorder.match(ctx.method, ctx.url);
    if (!m) return next();
    if (recorder.refuses()) {
      ctx.status = 503;
      ctx.set('content-type', 'application/problem+json');
      ctx.set('retry-after', '30');
      ctx.body = REFUSAL;
      return;
    }
    await next();
    if (ctx.status < 400) recorder.record(m, opts.principal(ctx), ctx.ip);
  };
}

// ---- Fastify ----
export interface FastifyLikeRequest {
  method: string;
  headers: Headers;
  url: string;
  ip?: string;
}
export interface FastifyLikeReply {
  statusCode: number;
  code(status: number): FastifyLikeReply;
  header(name: string, value: string): FastifyLikeReply;
  send(body: string): unknown;
}
interface FastifyLikeInstance<Req extends FastifyLikeRequest> {
  addHook(name: 'onRequest', hook: (req: Req, reply: FastifyLikeReply) => Promise<unknown>): unknown;
  addHook(name: 'onResponse', hook: (req: Req, reply: FastifyLikeReply) => Promise<unknown>): unknown;
}

/** A Fastify plugin (app.register(fanzhaFastify(recorder, { principal }))), applied to the whole app. */
export function fanzhaFastify<Req extends FastifyLikeRequest>(recorder: AccessRecorder, opts: MiddlewareOptions<Req>) {
  const matches = new WeakMap<object, AccessMatch>();
  const plugin = async (app: FastifyLikeInstance<Req>) => {
    app.addHook('onRequest', async (req, reply) => {
      const m = recorder.match(req.method, req.url);
      if (!m) return;
      if (recorder.refuses()) return reply.code(503).header('content-type', 'application/problem+json').header('retry-after', '30').send(REFUSAL);
      matches.set(req, m);
    });
    app.addHook('onResponse', async (req, reply) => {
      const m = matches.get(req);
      if (m && reply.statusCode < 400) recorder.record(m, opts.principal(req), req.ip);
    });
  };
  // what fastify-plugin does: the hooks apply to the app that registers it, not a child scope
  Object.assign(plugin, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'fanzha-access' });
  return plugin;
}
