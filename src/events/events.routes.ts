import type { App } from '../http/app.types.ts';
import { Type } from '@sinclair/typebox';
import { IngestResult, MAX_EVENTS_PER_REQUEST, EVENT_TYPES } from './events.schemas.ts';
import { NdjsonLines } from './ndjson.ts';
import { problems } from '../http/problem.ts';
import type { AppContext } from '../app/context.ts';

const BODY_LIMIT = 64 * 1024 * 1024;

export async function eventsRoutes(app: App, ctx: AppContext) {
  const unparsable = (e: Error, line: number) => problems.badRequest(`The NDJSON body could not be parsed: ${e.message}. Nothing was stored.`, { line });
  // Split only: the lines are parsed by ingest (on the ingest worker for large batches), which
  // reports the first bad line as NdjsonError before anything is committed.
  app.addContentTypeParser('application/x-ndjson', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
    try {
      done(null, NdjsonLines.split(body as string));
    } catch (e) {
      done(unparsable(e as Error, 0), undefined);
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
    // A bad NDJSON line fails the batch with NdjsonError (a DomainError: 400 naming the line).
    async (req) => ctx.services.events.ingest(req.body as unknown[]),
  );
}
