import type { Area } from '../app/area.ts';
import { notifyConfig, type NotifyConfig } from './notify.config.ts';
import { buildChannels } from './channels/index.ts';
import { NotifyService } from './notify.service.ts';
import { OutboxWorker } from './outbox.worker.ts';
import { refundIngestHook } from './refund-trigger.ts';
import { notifyRoutes } from './notify.routes.ts';
import type { Channel } from './channels/channel.ts';
import './notify.tables.ts';

declare module '../app/context.ts' {
  interface AreaServices {
    notify: { service: NotifyService; worker: OutboxWorker; config: NotifyConfig; channels: Map<string, Channel> };
  }
}

export const notifyArea: Area = {
  name: 'notify',
  setup(ctx) {
    const config = notifyConfig(ctx.config);
    const channels = buildChannels(config);
    const service = new NotifyService(ctx.database, () => [...channels.keys()], config.defaultChannel);
    const worker = new OutboxWorker({ database: ctx.database, cipher: ctx.cipher, channels, config, logger: ctx.logger.child({ area: 'notify' }), registry: ctx.metrics.registry });
    ctx.services.notifier = service;
    ctx.services.notify = { service, worker, config, channels };
    ctx.services.events.addHook(refundIngestHook(config));
    ctx.closers.push(async () => {
      for (const c of channels.values()) await c.close?.();
    });
  },
  routes(app, ctx) {
    const n = ctx.services.notify;
    return notifyRoutes(n.service, n.config)(app, ctx);
  },
  start(ctx) {
    const { worker } = ctx.services.notify;
    worker.start();
    ctx.closers.push(() => worker.stop());
  },
};
