import type { Area } from '../app/area.ts';
import { IncidentsRepository } from './incidents.repository.ts';
import { IncidentsService } from './incidents.service.ts';
import { incidentsRoutes } from './incidents.routes.ts';
import type { IncidentsWebhookConfig } from './webhook.ts';
import type { PdfFont } from './report.pdf.ts';

declare module '../app/context.ts' {
  interface AreaServices {
    incidents: IncidentsService;
  }
}

/** Config file `areas.incidents`. */
export interface IncidentsConfig {
  webhook?: IncidentsWebhookConfig;
  contact?: string;
  shopName?: string;
  lookbackDays?: number;
  /** A system CJK font for PDF reports; without it the bundled Noto Sans SC (npm) is used. */
  pdfFont?: PdfFont;
}

export function incidentsConfig(areas: Record<string, unknown> | undefined): IncidentsConfig {
  const c = (areas?.incidents ?? {}) as Partial<IncidentsConfig>;
  return { ...c };
}

export const incidentsArea: Area = {
  name: 'incidents',
  setup(ctx) {
    const conf = incidentsConfig(ctx.config.areas);
    const svc = new IncidentsService(new IncidentsRepository(ctx.database.db), ctx.services, ctx.logger, conf);
    ctx.services.incidents = svc;
    // "freeze its reveals": the vault asks us before every reveal
    ctx.services.vault.setFrozenCheck((p) => svc.isFrozen(p));
  },
  routes: (app, ctx) => incidentsRoutes(incidentsConfig(ctx.config.areas))(app, ctx),
};
