// Canary customers and fingerprinted exports — the merged leaks area
// (src/canaries/canaries.routes.ts, exports.routes.ts, canaries.schemas.ts).
import { api } from './http.ts';
import type { Scope, Canary, CanaryTrip, ExportRecord } from './contracts.ts';
export type { Scope, Canary, CanaryTrip, ExportRecord };

export const listCanaries = () => api<{ items: Canary[] }>('/v1/canaries', { query: { limit: 500 } });
/** Trips (alerts), newest first. */
export const listTrips = (since?: string) => api<{ items: CanaryTrip[] }>('/v1/canaries/trips', { query: { since, limit: 1000 } });
export const listExports = () => api<{ items: ExportRecord[] }>('/v1/exports', { query: { limit: 200 } });

/** Trips per canary and the latest trip time, from the trip list. */
export function tripsByCanary(trips: CanaryTrip[]) {
  const m = new Map<string, { count: number; last: string }>();
  for (const tr of trips) {
    const v = m.get(tr.canaryId);
    if (!v) m.set(tr.canaryId, { count: 1, last: tr.at });
    else {
      v.count++;
      if (tr.at > v.last) v.last = tr.at;
    }
  }
  return m;
}
