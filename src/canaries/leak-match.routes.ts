// POST /v1/leaks/match: which exports and recipients explain a leaked file.
import type { App } from '../http/app.types.ts';
import type { AppContext } from '../app/context.ts';
import { problems } from '../http/problem.ts';
import { MatchBody, MatchReply } from './canaries.schemas.ts';
import type { LeakFormat } from './leak-match.extract.ts';

const BODY_LIMIT = 32 * 1024 * 1024;
const RAW_TYPES: Record<string, LeakFormat> = { 'text/csv': 'csv', 'text/tab-separated-values': 'tsv', 'text/plain': 'auto', 'application/jsonl': 'jsonl' };

export async function leakMatchRoutes(app: App, ctx: AppContext) {
  // Raw file bodies are parsed only inside this plugin, so other areas' parsers are untouched.
  await app.register(async (scoped) => {
    scoped.removeContentTypeParser('text/plain');
    scoped.addContentTypeParser(Object.keys(RAW_TYPES), { parseAs: 'string', bodyLimit: BODY_LIMIT }, (req, body, done) => {
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      done(null, { content: body as string, format: RAW_TYPES[type] ?? 'auto' });
    });
    (scoped as unknown as App).post(
      '/v1/leaks/match',
      {
        bodyLimit: BODY_LIMIT,
        // 422: a file that cannot be read; 503: the file reader is saturated or stopped
        config: { auth: { roles: ['analyst', 'admin'] }, problems: [422] },
        schema: {
          tags: ['leaks'],
          summary: 'Attribute a leaked file to the exports and recipients that best explain it',
          description:
            'Send JSON {content, format?} or the raw file as text/plain, text/csv, text/tab-separated-values or application/jsonl. Phones in any common spelling are recognised. Scores: see docs/areas/canaries.md.',
          body: MatchBody,
          response: { 200: MatchReply },
        },
      },
      async (req) => {
        const b = req.body;
        if (!b.content.trim()) throw problems.badRequest('The leaked file is empty.');
        const r = await ctx.services.leakMatch.match(b.content, { format: b.format, alpha: b.alpha, limit: b.limit });
        return {
          ...r,
          candidates: r.candidates.map((c) => ({ ...c, exports: c.exports.map((e) => ({ ...e, at: e.at ? new Date(e.at).toISOString() : null })) })),
        };
      },
    );
  });
}
