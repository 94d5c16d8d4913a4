import type { Area } from '../app/area.ts';
import { InvestigationsRepository } from './investigations.repository.ts';
import { InvestigationsService } from './investigations.service.ts';
import { investigationsRoutes } from './investigations.routes.ts';
import { registerIndexGauges } from './investigations.metrics.ts';
import type { AttributionSettings } from './attribution.ts';

declare module '../app/context.ts' {
  interface AreaServices {
    investigations: InvestigationsService;
  }
}

export const investigationsArea: Area = {
  name: 'investigations',
  setup(ctx) {
    // the significance level and windows are documented settings: config file `areas.leaks`
    const conf = (ctx.config.areas?.leaks ?? {}) as Partial<AttributionSettings>;
    const settings: Partial<AttributionSettings> = {};
    for (const k of [
      'alpha',
      'windowDays',
      'minCovered',
      'maxRounds',
      'notExcludedCoverage',
      'takeoverShare',
      'leakStartBeta',
      'minSelectionBias',
      'minSelectionBiasAssigned',
      'minSelectionBiasTimed',
      'hazardDays',
      'samplingAlphaShare',
      'burstAlphaShare',
    ] as const) {
      if (typeof conf[k] === 'number') settings[k] = conf[k];
    }
    ctx.services.investigations = new InvestigationsService(
      new InvestigationsRepository(ctx.database, ctx.services.shop, ctx.services.audit.reads),
      () => ctx.services.victimSource,
      ctx.logger,
      { settings },
    );
    registerIndexGauges(ctx.metrics.registry, ctx.services.investigations.loader);
  },
  routes: investigationsRoutes,
};
