import type { App } from '../http/app.types.ts';
import { Type } from '@sinclair/typebox';
import { IngestResult, MAX_EVENTS_PER_REQUEST, EVENT_TYPES, ShopEvent } from './events.schemas.ts';
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
      // text is checked event by event (one bad event is rejected, the rest stored)
      config: { auth: { roles: ['ingest', 'admin'] }, bodyText: 'per-item' },
      schema: {
        tags: ['events'],
        summary: 'Ingest shop events (JSON array or NDJSON)',
        description: `At most ${MAX_EVENTS_PER_REQUEST} events per request. Types: ${EVENT_TYPES.join(', ')}. Good events are kept even when others are rejected; the same id twice is stored once.`,
        // Documents the events as they must be; the route does not validate the body against it
        // (validatorCompiler below): ingest checks each event on its own, keeping the good ones.
        body: {
          content: {
            'application/json': { schema: Type.Array(ShopEvent, { description: 'Events; each is validated on its own', maxItems: MAX_EVENTS_PER_REQUEST }) },
            'application/x-ndjson': { schema: { ...ShopEvent, description: 'One event (JSON object) per line' } },
          },
        },
        response: { 200: IngestResult },
      },
      validatorCompiler: () => () => true,
      preValidation: async (req) => {
        // before validation: its array coercion would take `null` (or one object) as a batch of one
        if (!Array.isArray(req.body))
          throw problems.validation('The body must be a JSON array of events (or NDJSON lines). Nothing was stored.', [
            { path: '/', message: 'must be array' },
          ]);
        if (Array.isArray(req.body) && req.body.length > MAX_EVENTS_PER_REQUEST) {
          throw problems.tooLarge(`A request may carry at most ${MAX_EVENTS_PER_REQUEST} events; this one has ${req.body.length}. Nothing was stored.`);
        }
      },
    },
    // A bad NDJSON line fails the batch with NdjsonError (a DomainError: 400 naming the line).
    async (req) => ctx.services.events.ingest(req.body as unknown[], req.caller && { keyId: req.caller.keyId, principalId: req.caller.principalId }),
  );
}
