import { Type } from '@sinclair/typebox';
import type { App } from '../http/app.types.ts';
import type { AppContext } from '../app/context.ts';
import { publicLimit } from '../http/public-limit.ts';
import { reportsConfig } from '../reports/reports.config.ts';
import { TECHNIQUES } from './lookalike.ts';
import { lit } from '../reports/reports.schemas.ts';

export const MAX_LINKS_PER_CHECK = 100;

const VerdictSchema = Type.Object({
  input: Type.String(),
  verdict: lit(['official', 'reported', 'lookalike', 'unknown', 'invalid'] as const),
  url: Type.Union([Type.String(), Type.Null()]),
  domain: Type.Union([Type.String(), Type.Null()]),
  lookalike: Type.Union([Type.Object({ brand: Type.String(), technique: lit(TECHNIQUES) }), Type.Null()]),
  risk: Type.String(),
  cases: Type.Optional(Type.Array(Type.String())),
  signals: Type.Array(Type.String()),
});

export async function linksRoutes(app: App, ctx: AppContext) {
  const cfg = reportsConfig(ctx.config.areas);
  app.post(
    '/v1/links/check',
    {
      config: { auth: 'public', rateLimit: publicLimit(cfg.publicRateLimit.max * 3, cfg.publicRateLimit.timeWindow) },
      schema: {
        tags: ['links'],
        summary: 'Check links: official, look-alike of a brand, reported in scam cases, or unknown',
        description: `Batch of at most ${MAX_LINKS_PER_CHECK} links (SMS and chat gateways). Case ids are returned to analyst/admin/ingest callers only.`,
        body: Type.Object(
          { urls: Type.Array(Type.String({ minLength: 1, maxLength: 2048 }), { minItems: 1, maxItems: MAX_LINKS_PER_CHECK }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ results: Type.Array(VerdictSchema) }) },
      },
    },
    async (req) => {
      const results = await ctx.services.links.check(req.body.urls);
      const seesCases = req.caller && ['analyst', 'admin', 'ingest'].includes(req.caller.role);
      return { results: results.map((r) => (seesCases ? r : { ...r, cases: undefined })) };
    },
  );
}
