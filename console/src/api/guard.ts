// Login protection — the merged guard area (src/guard/guard.routes.ts, guard.schemas.ts):
// GET /v1/logins/stats?from&to&bucket&top → decisions per bucket and the networks failing most.
import { api } from './http.ts';
import type { LoginStats } from './contracts.ts';
export type { LoginStats };

export const loginStats = (hours = 24) =>
  api<LoginStats>('/v1/logins/stats', { query: { from: new Date(Date.now() - hours * 3_600_000).toISOString(), bucket: 'hour', top: 20 } });

/** Denied sign-ins in the window: the guard denies only on attack signals, so any denial means one. */
export const denialsOf = (s: LoginStats) => s.buckets.reduce((n, b) => n + b.deny, 0);
