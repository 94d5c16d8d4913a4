// The Fastify application: infrastructure plugins first, then the routes of the areas the
// composition root passes in (src/cli/main.ts, src/testing/test-app.ts); this module imports no area.
import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import rateLimit from '@fastify/rate-limit';
import cookie from '@fastify/cookie';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app/context.ts';
import type { Area } from '../app/area.ts';
import type { App, RouteInfo } from './app.types.ts';
import { authPlugin } from './auth.plugin.ts';
import { installErrorHandlers } from './error-handler.ts';
import { newId } from '../lib/ids.ts';

export async function buildApp(ctx: AppContext, areas: readonly Area[]): Promise<App> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    genReqId: () => newId('req', 8),
    trustProxy: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('routeList', [] as RouteInfo[]);
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) if (m !== 'HEAD') app.routeList.push({ method: m, url: r.url, auth: (r.config as { auth?: unknown })?.auth, schema: r.schema });
  });

  installErrorHandlers(app);
  await app.register(helmet, {
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
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'fanzha API', version: '1', description: 'Fight refund scams: protect customer data, find leaks, warn customers at the moment of risk.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'fanzha API key' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  await app.register(cookie);
  // The console's session cookie authenticates /v1 calls too (src/console/session.service.ts).
  const sessions = ctx.services.consoleSessions;
  await app.register(authPlugin, { apiKeys: ctx.services.apiKeys, cookieCaller: sessions && ((req) => sessions.callerFor(req)) });

  app.addHook('onResponse', async (req, reply) => {
    ctx.metrics.httpDuration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  const hidden = { hide: true } as const;
  app.get('/healthz', { schema: { ...hidden, response: { 200: Type.Object({ status: Type.String() }) } } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: hidden }, async (_req, reply) => {
    const checks: Record<string, string> = {};
    let ok = true;
    await Promise.all(
      ctx.readiness.map(async (c) => {
        try {
          const r = await c.check();
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
  app.get('/metrics', { schema: hidden }, async (_req, reply) => {
    reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
  app.get('/openapi.json', { schema: hidden }, async () => app.swagger());

  for (const area of areas) if (area.routes) await area.routes(app, ctx);
  await app.ready();
  return app;
}
