// Canary customers and fingerprinted exports — the merged leaks area
// (src/canaries/canaries.routes.ts, exports.routes.ts, canaries.schemas.ts).
import { api } from './http.ts';

export interface Scope {
  kind: 'team' | 'principal' | 'export' | 'api_client';
  id: string;
}
export interface Canary {
  id: string;
  customerId: string;
  orderIds: string[];
  scope: Scope;
  recipientId: string | null;
  status: string;
  createdAt: string;
  trips?: number;
}
export interface CanaryTrip {
  id: string;
  canaryId: string;
  channel: string;
  scope: Scope;
  at: string;
  receivedAt: string;
}
export interface ExportRecord {
  id: string;
  recipientId: string;
  subjectKind: string;
  fields: string[];
  /** How phone numbers were given: real, token or virtual. */
  phone: string;
  format: string;
  records: number;
  canaryIds: string[];
  at: string;
}
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
