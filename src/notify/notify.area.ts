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
import './notify.tables.ts';
import type { AppContext } from '../app/context.ts';
import type { RecipientRead } from './outbox.worker.ts';
import { FIELD_BIT } from '../lib/fields.ts';

/** The principal the access log names for reads of contact data made to deliver notices. */
export const NOTIFY_PRINCIPAL = 'system:notify';

/** Every decryption of contact data for a notice is an access-log entry, like any other read. */
async function recordRecipientReads(ctx: AppContext, reads: RecipientRead[]) {
  if (!reads.length) return;
  const at = Date.now();
  await ctx.services.audit.record(
    reads.map((r) => ({
      source: 'vault',
      principal_id: NOTIFY_PRINCIPAL,
      customer_id: r.customerId,
      // The phone is always read: it gives the customer's time zone for quiet hours.
      fields: FIELD_BIT.phone | (r.needs === 'email' ? FIELD_BIT.email : 0),
      purpose: `notice:${r.template}`,
      channel: 'batch',
      at,
      recorded_at: at,
    })),
  );
}

declare module '../app/context.ts' {
  interface AreaServices {
    notify: { service: NotifyService; worker: OutboxWorker; config: NotifyConfig; channels: Map<string, Channel>; templates: TemplateOverrides };
  }
}

export const notifyArea: Area = {
  name: 'notify',
  setup(ctx) {
    const config = notifyConfig(ctx.config);
    const channels = buildChannels(config);
    const service = new NotifyService(ctx.database, () => [...channels.keys()], config.defaultChannel);
    const templates = new TemplateOverrides(ctx.services.settings, { shopName: config.shopName, officialDomain: config.officialDomain });
    const worker = new OutboxWorker({
      database: ctx.database,
      cipher: ctx.cipher,
      channels,
      config,
      logger: ctx.logger.child({ area: 'notify' }),
      registry: ctx.metrics.registry,
      recordReads: (reads) => recordRecipientReads(ctx, reads),
      render: (template, lang, vars) => templates.render(template, lang, vars),
    });
    ctx.services.notifier = service;
    ctx.services.notify = { service, worker, config, channels, templates };
    ctx.services.events.addHook(refundIngestHook(config));
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
