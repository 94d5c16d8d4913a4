import type { Area } from '../app/area.ts';
import { LinksService, DEFAULT_BRANDS } from './links.service.ts';
import { linksRoutes } from './links.routes.ts';

declare module '../app/context.ts' {
  interface AreaServices {
    links: LinksService;
  }
}

export const linksArea: Area = {
  name: 'links',
  setup(ctx) {
    const c = (ctx.config.areas.links ?? {}) as { brands?: string[] };
    ctx.services.links = new LinksService(ctx.services.reports.warningList, ctx.services.reports, c.brands ?? DEFAULT_BRANDS);
  },
  routes: linksRoutes,
};
