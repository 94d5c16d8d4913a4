import type { Area } from '../app/area.ts';
import { registerNotifyCommands } from './notify.cli.ts';
import { notifyConfig, type NotifyConfig } from './notify.config.ts';
import { buildChannels } from './channels/index.ts';
import { NotifyService } from './notify.service.ts';
import { OutboxWorker } from './outbox.worker.ts';
import { refundIngestHook } from './refund-trigger.ts';
import { notifyRoutes } from './notify.routes.ts';
import { TemplateOverrides } from './template-overrides.ts';
import { templatesRoutes } from './templates.routes.ts';
import type { Channel } from './channels/channel.ts';
import { registerNoticeGauges } from './notify.metrics.ts';
import { ROUTE_CHANNEL } from './routing.ts';
import './notify.tables.ts';
import { recipientSource, type RecipientSource } from './recipient.ts';

declare module '../app/context.ts' {
  interface AreaServices {
    notify: {
      service: NotifyService;
      worker: OutboxWorker;
      config: NotifyConfig;
      channels: Map<string, Channel>;
      templates: TemplateOverrides;
      recipients: RecipientSource;
    };
  }
}

export const notifyArea: Area = {
  name: 'notify',
  setup(ctx) {
    const config = notifyConfig(ctx.config);
    const channels = buildChannels(config);
    const service = new NotifyService(
      ctx.database,
      () => [...channels.keys(), ...(Object.keys(config.routes).length ? [ROUTE_CHANNEL] : [])],
      config.defaultChannel,
    );
    const templates = new TemplateOverrides(ctx.services.settings, { shopName: config.shopName, officialDomain: config.officialDomain });
    // Contact data is opened only by the vault's gate, each read recorded first (system:notify).
    const recipients = recipientSource(ctx.services.shop, ctx.services.vault);
    const worker = new OutboxWorker({
      database: ctx.database,
      recipients,
      channels,
      config,
      logger: ctx.logger.child({ area: 'notify' }),
      registry: ctx.metrics.registry,
      render: (template, lang, vars) => templates.render(template, lang, vars),
    });
    ctx.services.notifier = service;
    ctx.services.notify = { service, worker, config, channels, templates, recipients };
    ctx.services.events.addHook(refundIngestHook(config));
    registerNoticeGauges(ctx.metrics.registry, service.outbox);
    ctx.closers.push(async () => {
      for (const c of channels.values()) await c.close?.();
    });
  },
  async routes(app, ctx) {
    const n = ctx.services.notify;
    await notifyRoutes(n.service, n.config)(app, ctx);
    await templatesRoutes(n.templates)(app, ctx);
  },
  start(ctx) {
    const { worker } = ctx.services.notify;
    worker.start();
    ctx.closers.push(() => worker.stop());
  },
  commands: registerNotifyCommands,
};
