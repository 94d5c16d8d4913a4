// The reports area's settings (config file `areas.reports`) with their defaults.

export interface ReportsAreaConfig {
  linkCap?: number;
  orderLookbackDays?: number;
  checkMinLatencyMs?: number;
  producerName?: string;
  publicRateLimit?: { max: number; timeWindow: string | number };
}

export function reportsConfig(areas: Record<string, unknown>): Required<ReportsAreaConfig> {
  const c = (areas.reports ?? {}) as ReportsAreaConfig;
  return {
    linkCap: c.linkCap ?? 50,
    orderLookbackDays: c.orderLookbackDays ?? 180,
    checkMinLatencyMs: c.checkMinLatencyMs ?? 25,
    producerName: c.producerName ?? 'fanzha shop',
    publicRateLimit: c.publicRateLimit ?? { max: 20, timeWindow: '1 minute' },
  };
}
