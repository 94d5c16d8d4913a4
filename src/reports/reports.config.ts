// The reports area's settings (config file `areas.reports`) with their defaults.

import { DEFAULT_RULE } from './hindsight.ts';
import { BUILTIN_INSTITUTIONS } from './institutions.ts';

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
