import { ingestWorker } from './pipeline/ingest-worker.ts';
import type { Area } from '../app/area.ts';
import { registerEventsCommands } from './events.cli.ts';
import { EventNormalizer } from './events.normalize.ts';
import { EventsService } from './events.service.ts';
import { SqliteEventStore } from './sqlite/sqlite-event.store.ts';
import { PostgresEventStore } from './postgres/postgres-event.store.ts';
import { eventsRoutes } from './events.routes.ts';

declare module '../app/context.ts' {
  interface AreaServices {
    events: EventsService;
  }
}

export const eventsArea: Area = {
  name: 'events',
  setup(ctx) {
    const store =
      ctx.database.dialect === 'sqlite'
        ? new SqliteEventStore(ctx.database)
        : new PostgresEventStore(ctx.database, {
            onRetry: (e, attempt) =>
              ctx.logger.warn({ code: (e as { code?: string }).code, attempt }, 'ingest transaction retried (serialisation failure or deadlock)'),
          });
    // batches survive a failed ingest worker (they finish on this thread); operators should still know
    ingestWorker.onFailure = (reason) => ctx.logger.warn({ reason }, 'ingest worker failed; batches continue on the main thread');
    ctx.services.events = new EventsService(new EventNormalizer(ctx.cipher), store, ctx.metrics);
  },
  routes: eventsRoutes,
  commands: registerEventsCommands,
};
