// The Fastify application: infrastructure plugins first, then the routes of the areas the
// composition root passes in (src/cli/main.ts, src/testing/test-app.ts); this module imports no area.
import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import helmet from 'helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import cookie from '@fastify/cookie';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app/context.ts';
import type { Area } from '../app/area.ts';
import type { App, RouteInfo } from './app.types.ts';
import { authPlugin } from './auth.plugin.ts';
import { installErrorHandlers } from './error-handler.ts';
import { newId } from '../lib/ids.ts';
import { installInputGuard, frameworkError, clientErrorHandler } from './input-guard.ts';
import { metricsAllowed } from './metrics-access.ts';
import { problems } from './problem.ts';
import { Problem, documentProblems } from './problem-responses.ts';
import { buildSerializer, buildValidator } from './schema-compilers.ts';

/**
 * A dependency that does not answer within this long is reported not ready: a load balancer
 * probing /readyz must get its answer while the database hangs, not wait for the pool's limits.
 */
export const READINESS_TIMEOUT_MS = 800;

function withinReadinessTimeout<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('readiness check timed out')), READINESS_TIMEOUT_MS);
  });
  p.catch(() => {}); // a check that fails after the timeout has already been reported
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
import { registerPublicWeb } from './public-web.ts';

export async function buildApp(ctx: AppContext, areas: readonly Area[]): Promise<App> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    genReqId: () => newId('req', 8),
    // X-Forwarded-For is believed only from configured proxies (per-IP limits key on req.ip).
    trustProxy: ctx.config.trustedProxies.length ? ctx.config.trustedProxies : false,
    frameworkErrors: frameworkError,
    clientErrorHandler,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
    schemaController: { compilersFactory: { buildValidator, buildSerializer } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('routeList', [] as RouteInfo[]);
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat())
      if (m !== 'HEAD') app.routeList.push({ method: m, url: r.url, auth: (r.config as { auth?: unknown })?.auth, schema: r.schema });
  });

  // Every /v1 route's schema names its problem+json answers (shared Problem schema) and, when
  // public, `security: []`: one declaration validates, serialises and documents.
  app.addSchema(Problem);
  app.addHook('onRoute', documentProblems);

  installErrorHandlers(app);
  installInputGuard(app);
  // Security headers from Helmet, built once: the Fastify wrapper (@fastify/helmet) rebuilds every
  // middleware and re-parses the CSP directives on each request, a tenth of a small API call.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        // Helmet's default upgrade-insecure-requests would send the console's own scripts to https
        // on a plain-http LAN address and break it; every asset is same-origin, so it buys nothing.
        upgradeInsecureRequests: null,
      },
    },
  });
  app.addHook('onRequest', (req, reply, done) => securityHeaders(req.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)));
  await registerPublicWeb(app, ctx);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'fanzha API', version: '1', description: 'Fight refund scams: protect customer data, find leaks, warn customers at the moment of risk.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'fanzha API key' } } },
      security: [{ bearer: [] }],
    },
    // shared schemas (app.addSchema) become components.schemas under their own $id
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  await app.register(cookie);
  // The console's session cookie authenticates /v1 calls too (src/console/session.service.ts).
  const sessions = ctx.services.consoleSessions;
  await app.register(authPlugin, { apiKeys: ctx.services.apiKeys, cookieCaller: sessions && ((req) => sessions.callerFor(req)) });

  app.addHook('onResponse', (req, reply, done) => {
    ctx.metrics.httpDuration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });

  const hidden = { hide: true } as const;
  app.get('/healthz', { schema: { ...hidden, response: { 200: Type.Object({ status: Type.String() }) } } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: hidden }, async (_req, reply) => {
    const checks: Record<string, string> = {};
    let ok = true;
    await Promise.all(
      ctx.readiness.map(async (c) => {
        try {
          const r = await withinReadinessTimeout(c.check());
          checks[c.name] = typeof r === 'string' ? r : 'ok';
          ctx.metrics.readiness.set({ dependency: c.name }, 1);
        } catch (e) {
          ok = false;
          checks[c.name] = 'unavailable';
          ctx.metrics.readiness.set({ dependency: c.name }, 0);
        }
      }),
    );
    reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not ready', checks });
  });
  app.get('/metrics', { schema: hidden }, async (req, reply) => {
    if (!metricsAllowed(req, ctx.config.metricsToken)) throw problems.notFound();
    reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
  app.get('/openapi.json', { schema: hidden }, async () => app.swagger());

  for (const area of areas) if (area.routes) await area.routes(app, ctx);
  await app.ready();
  return app;
}
