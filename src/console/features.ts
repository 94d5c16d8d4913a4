// Which product areas this server has, judged from the routes it actually registered. The console
// asks once and never calls an endpoint that is not there (no 404 noise in the browser), and shows
// "not available yet" instead. Each key names the endpoint that proves the area is present.
import type { RouteInfo } from '../http/app.types.ts';

export const FEATURE_PROBES = {
  keys: 'GET /v1/keys',
  reports: 'POST /v1/reports',
  cases: 'GET /v1/cases',
  reportStats: 'GET /v1/stats/reports',
  investigations: 'POST /v1/investigations',
  auditEntries: 'GET /v1/audit/entries',
  auditVerify: 'GET /v1/audit/verify',
  accessAlerts: 'GET /v1/audit/alerts',
  canaries: 'GET /v1/canaries/trips',
  exports: 'GET /v1/exports',
  incidents: 'GET /v1/incidents',
  loginStats: 'GET /v1/logins/stats',
  check: 'GET /v1/check',
  linkCheck: 'POST /v1/links/check',
  officialChannels: 'GET /v1/warning-list',
  settingsMasking: 'GET /v1/settings/masking',
  settingsTemplates: 'GET /v1/settings/templates',
  settingsHistory: 'GET /v1/settings/changes',
} as const;

export type Feature = keyof typeof FEATURE_PROBES;

export function featuresOf(routes: readonly RouteInfo[]): Record<Feature, boolean> {
  const have = new Set(routes.map((r) => `${r.method} ${r.url}`));
  const out = {} as Record<Feature, boolean>;
  for (const [name, probe] of Object.entries(FEATURE_PROBES)) out[name as Feature] = have.has(probe);
  return out;
}
