import { Type } from '@sinclair/typebox';
import type { App } from '../http/app.types.ts';
import type { AppContext } from '../app/context.ts';
import { problems } from '../http/problem.ts';
import { corsPreflight, publicCors } from '../http/public-web.ts';

export async function passwordsRoutes(app: App, ctx: AppContext, opts: { perMinute: number; keyedPerMinute: number }) {
  corsPreflight(app, ctx, '/v1/passwords/range/:prefix');
  app.get(
    '/v1/passwords/range/:prefix',
    {
      // Public like HIBP's (k-anonymity: a prefix reveals nothing useful), so existing HIBP
      // clients and a shop's sign-up page (CORS for the configured origins) can call it.
      // Anonymous callers are limited per IP; callers with an API key (the shop's servers, one
      // query per login; HIBP clients send it as `hibp-api-key`) per key, with their own limit.
      config: {
        auth: 'public',
        hibpKeyHeader: true,
        ...publicCors(ctx),
        rateLimit: {
          max: (req) => (req.caller ? opts.keyedPerMinute : opts.perMinute),
          keyGenerator: (req) => (req.caller ? `key:${req.caller.keyId}` : `ip:${req.ip}`),
          timeWindow: 60_000,
          hook: 'preHandler',
        },
      },
      schema: {
        tags: ['passwords'],
        summary: 'Breached-password range query, compatible with Have I Been Pwned',
        description:
          'Send the first 5 hex digits of the SHA-1 (or, with ?mode=ntlm, NTLM) hash of a password; get `SUFFIX:COUNT` lines for every breached hash with that prefix. Header `Add-Padding: true` pads the answer with count-0 lines.',
        params: Type.Object({ prefix: Type.String() }),
        querystring: Type.Object({ mode: Type.Optional(Type.Union([Type.Literal('sha1'), Type.Literal('ntlm')])) }),
        response: { 200: { description: 'SUFFIX:COUNT lines, one per breached hash with this prefix', content: { 'text/plain': { schema: Type.String() } } } },
      },
    },
    async (req, reply) => {
      const prefix = req.params.prefix;
      if (!/^[0-9A-Fa-f]{5}$/.test(prefix)) throw problems.badRequest('The hash prefix must be exactly 5 hexadecimal characters.');
      const padding = String(req.headers['add-padding'] ?? '').toLowerCase() === 'true';
      const body = await ctx.services.passwords.rangeText(prefix.toUpperCase(), req.query.mode ?? 'sha1', padding);
      reply.header('cache-control', 'public, max-age=86400').type('text/plain; charset=utf-8');
      return body;
    },
  );
}
