import type { Area } from '../app/area.ts';
import { registerReportsCommands } from './reports.cli.ts';
import { ReportsService } from './reports.service.ts';
import { WarningList } from './warning-list.ts';
import { PublicChecker } from './checker.ts';
import { reportsRoutes } from './reports.routes.ts';
import { DEFAULT_RULE } from './hindsight.ts';
import type { VictimSource } from '../investigations/victims.port.ts';
import { reportsConfig } from './reports.config.ts';

declare module '../app/context.ts' {
  interface AreaServices {
    reports: ReportsService;
    publicChecker: PublicChecker;
  }
}

export const reportsArea: Area = {
  name: 'reports',
  setup(ctx) {
    const cfg = reportsConfig(ctx.config.areas);
    const warningList = new WarningList(ctx.database.db);
    const reports = new ReportsService(
      ctx.database,
      ctx.cipher,
      warningList,
      {
        linking: { ...DEFAULT_RULE, hardCap: cfg.linkCap, minGroups: cfg.linkMinGroups, maxCoverage: cfg.linkMaxCoverage },
        paymentInstitutions: cfg.paymentInstitutions,
        dataDir: ctx.config.dataDir,
        orderLookbackMs: cfg.orderLookbackDays * 86_400_000,
      },
      ctx.services.shop,
    );
    ctx.services.reports = reports;
    ctx.services.publicChecker = new PublicChecker(reports, cfg.checkMinLatencyMs);
    const victimSource: VictimSource = {
      victimsForReports: (ids) => reports.victimsForReports(ids),
      victimsForCase: (id) => reports.victimsForCase(id),
    };
    ctx.services.victimSource = victimSource;
  },
  routes: reportsRoutes,
  commands: registerReportsCommands,
};
