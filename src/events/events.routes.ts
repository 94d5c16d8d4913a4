import type { App } from '../http/app.ts';
import { Type } from '@sinclair/typebox';
import { IngestResult, MAX_EVENTS_PER_REQUEST, EVENT_TYPES } from './events.schemas.ts';
import { parseNdjson, NdjsonError } from './ndjson.ts';
import { problems } from '../http/problem.ts';
import type { AppContext } from '../app/context.ts';

const BODY_LIMIT = 64 * 1024 * 1024;

export async function eventsRoutes(app: App, ctx: AppContext) {
  app.addContentTypeParser('application/x-ndjson', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
    try {
      done(null, parseNdjson(body as string));
    } catch (e) {
      const line = e instanceof NdjsonError ? e.line : 0;
      done(problems.badRequest(`The NDJSON body could not be parsed: ${(e as Error).message}. Nothing was stored.`, { line }), undefined);
    }
  });

  app.post(
    '/v1/events',
    {
      bodyLimit: BODY_LIMIT,
      config: { auth: { roles: ['ingest', 'admin'] } },
      schema: {
        tags: ['events'],
        summary: 'Ingest shop events (JSON array or NDJSON)',
        description: `At most ${MAX_EVENTS_PER_REQUEST} events per request. Types: ${EVENT_TYPES.join(', ')}. Good events are kept even when others are rejected; the same id twice is stored once.`,
        body: Type.Array(Type.Unknown(), { description: 'Events; each is validated on its own' }),
        response: { 200: IngestResult },
      },
      preValidation: async (req) => {
        if (Array.isArray(req.body) && req.body.length > MAX_EVENTS_PER_REQUEST) {
          throw problems.tooLarge(`A request may carry at most ${MAX_EVENTS_PER_REQUEST} events; this one has ${req.body.length}. Nothing was stored.`);
        }
      },
    },
    async (req) => ctx.services.events.ingest(req.body as unknown[]),
  );
}
