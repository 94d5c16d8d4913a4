import type { Area } from '../app/area.ts';
import { ReportsService } from './reports.service.ts';
import { WarningList } from './warning-list.ts';
import { PublicChecker } from './checker.ts';
import { reportsRoutes } from './reports.routes.ts';
import { DEFAULT_RULE } from './hindsight.ts';
import { BUILTIN_INSTITUTIONS } from './institutions.ts';
import type { VictimSource } from '../investigations/victims.port.ts';

declare module '../app/context.ts' {
  interface AreaServices {
    reports: ReportsService;
    publicChecker: PublicChecker;
  }
}

export interface ReportsAreaConfig {
  /** Last-resort cap: a value carried by this many reports stops linking, whatever the evidence. */
  linkCap?: number;
  /** The bridge test (hindsight.ts): corroborated groups a value must bridge, and its largest share of their reports. */
  linkMinGroups?: number;
  linkMaxCoverage?: number;
  /** Replaces the built-in list of payment institutions (institutions.ts). */
  paymentInstitutions?: string[];
  /** Base URL this fanzha is reached at; names the STIX extension schema. Defaults to the request's origin. */
  publicUrl?: string;
  orderLookbackDays?: number;
  checkMinLatencyMs?: number;
  producerName?: string;
  publicRateLimit?: { max: number; timeWindow: string | number };
}

export function reportsConfig(areas: Record<string, unknown>): Required<ReportsAreaConfig> {
  const c = (areas.reports ?? {}) as ReportsAreaConfig;
  return {
    linkCap: c.linkCap ?? DEFAULT_RULE.hardCap,
    linkMinGroups: c.linkMinGroups ?? DEFAULT_RULE.minGroups,
    linkMaxCoverage: c.linkMaxCoverage ?? DEFAULT_RULE.maxCoverage,
    paymentInstitutions: c.paymentInstitutions ?? BUILTIN_INSTITUTIONS,
    publicUrl: c.publicUrl ?? '',
    orderLookbackDays: c.orderLookbackDays ?? 180,
    checkMinLatencyMs: c.checkMinLatencyMs ?? 25,
    producerName: c.producerName ?? 'fanzha shop',
    publicRateLimit: c.publicRateLimit ?? { max: 20, timeWindow: '1 minute' },
  };
}

export const reportsArea: Area = {
  name: 'reports',
  setup(ctx) {
    const cfg = reportsConfig(ctx.config.areas);
    const warningList = new WarningList(ctx.database.db);
    const reports = new ReportsService(ctx.database, ctx.cipher, warningList, {
      linking: { ...DEFAULT_RULE, hardCap: cfg.linkCap, minGroups: cfg.linkMinGroups, maxCoverage: cfg.linkMaxCoverage },
      paymentInstitutions: cfg.paymentInstitutions,
      dataDir: ctx.config.dataDir,
      orderLookbackMs: cfg.orderLookbackDays * 86_400_000,
    });
    ctx.services.reports = reports;
    ctx.services.publicChecker = new PublicChecker(reports, cfg.checkMinLatencyMs);
    const victimSource: VictimSource = {
      victimsForReports: (ids) => reports.victimsForReports(ids),
      victimsForCase: (id) => reports.victimsForCase(id),
    };
    ctx.services.victimSource = victimSource;
  },
  routes: reportsRoutes,
};
