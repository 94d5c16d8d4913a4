// What lets the public endpoints (the breached-password range API, the public checker) be used
// from a web page on the shop's own domain: CORS for the configured origins only, a preflight
// answered before authentication, and rate-limit counters shared through Redis when several
// nodes serve (FANZHA_REDIS), so a caller cannot multiply its allowance by the number of nodes.
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import { Redis } from 'ioredis';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app/context.ts';

/** Route config fragment: this route answers cross-origin calls from the configured origins. */
export function publicCors(ctx: AppContext): { cors: false | { origin: string[] | false; methods: string[]; maxAge: number } } {
  const origins = ctx.config.corsOrigins;
  return { cors: origins.length ? { origin: origins, methods: ['GET', 'OPTIONS'], maxAge: 600 } : false };
}

/**
 * Registers the browser-facing pieces. CORS is off for every route unless the route opts in with
 * `publicCors`; preflights reach it through `corsPreflight` routes of the same URL.
 */
export async function registerPublicWeb(app: FastifyInstance, ctx: AppContext) {
  // Off by default: only routes that spread publicCors(ctx) into their config answer other origins.
  // Every other route says `cors: false` itself, so the plugin's hook returns at once for it
  // instead of merging its options on every request.
  app.addHook('onRoute', (route) => {
    if ((route.config as { cors?: unknown } | undefined)?.cors === undefined) route.config = { ...route.config, cors: false } as typeof route.config;
  });
  await app.register(cors, { origin: false });
  let redis: Redis | undefined;
  if (ctx.config.redisUrl) {
    redis = new Redis(ctx.config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 250, connectTimeout: 2000 });
    redis.on('error', () => {}); // surfaced as skipped limits (skipOnError), never as failed requests
    // Start serving with the connection made (commands are not queued while connecting, so the
    // first requests would otherwise go uncounted), but never wait long for a Redis that is down.
    app.addHook('onReady', async () => {
      if (redis!.status === 'ready') return;
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, 2000);
        function done() {
          clearTimeout(t);
          redis!.off('ready', done);
          resolve();
        }
        redis!.once('ready', done);
      });
    });
    app.addHook('onClose', async () => redis!.disconnect());
  }
  await app.register(rateLimit, {
    global: false,
    ...(redis ? { redis, nameSpace: ctx.config.rateLimitNamespace, skipOnError: true } : {}),
  });
}

/** Answers the browser's preflight for a public GET route (before authentication runs). */
export function corsPreflight(app: FastifyInstance, ctx: AppContext, url: string) {
  const c = publicCors(ctx);
  if (!c.cors) return;
  app.options(url, { config: { auth: 'public', ...c }, schema: { hide: true } }, async (_req, reply) => reply.code(204).send());
}
