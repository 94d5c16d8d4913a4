import type { Area } from '../app/area.ts';
import { registerIncidentsCommands } from './incidents.cli.ts';
import { IncidentsRepository } from './incidents.repository.ts';
import { IncidentsService } from './incidents.service.ts';
import { incidentsConfig } from './incidents.config.ts';
import { shopTimeZone } from '../shop/shop.config.ts';
import { incidentsRoutes } from './incidents.routes.ts';

declare module '../app/context.ts' {
  interface AreaServices {
    incidents: IncidentsService;
  }
}

export const incidentsArea: Area = {
  name: 'incidents',
  setup(ctx) {
    const conf = incidentsConfig(ctx.config.areas);
    const svc = new IncidentsService(new IncidentsRepository(ctx.database.db), ctx.services, ctx.logger, { ...conf, timeZone: shopTimeZone(ctx.config.areas) });
    ctx.services.incidents = svc;
    // "freeze its reveals": the vault asks us before every reveal
    ctx.services.vault.setFrozenCheck((p) => svc.isFrozen(p));
  },
  routes: (app, ctx) => incidentsRoutes(incidentsConfig(ctx.config.areas))(app, ctx),
  commands: registerIncidentsCommands,
};
