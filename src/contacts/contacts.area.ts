import type { Area } from '../app/area.ts';
import { contactsConfig } from './contacts.config.ts';
import { ContactsService } from './contacts.service.ts';
import { contactsRoutes } from './contacts.routes.ts';
import './contacts.tables.ts';

declare module '../app/context.ts' {
  interface AreaServices {
    contacts: ContactsService;
  }
}

export const contactsArea: Area = {
  name: 'contacts',
  setup(ctx) {
    const shopName = ctx.services.notify?.config.shopName ?? { 'zh-CN': '本店', en: 'Our shop' };
    ctx.services.contacts = new ContactsService(ctx.database.db, ctx.services.shop, contactsConfig(ctx.config), shopName, ctx.services.notifier);
  },
  routes(app, ctx) {
    return contactsRoutes(ctx.services.contacts)(app, ctx);
  },
  start(ctx) {
    // Retention: session details go after contacts.retentionHours; the aggregate stays.
    const cfg = contactsConfig(ctx.config);
    const log = ctx.logger.child({ area: 'contacts' });
    const run = () =>
      ctx.services.contacts.purge().then(
        (n) => n && log.info({ purged: n }, 'contact sessions purged'),
        (e) => log.error({ err: { name: (e as Error).name, message: (e as Error).message } }, 'contact purge failed'),
      );
    void run();
    const timer = setInterval(run, cfg.purgeIntervalMs);
    timer.unref();
    ctx.closers.push(() => clearInterval(timer));
  },
};
