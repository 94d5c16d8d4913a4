// Access log — issue 3, merged: src/audit/audit.routes.ts and audit.schemas.ts.
//   GET /v1/audit/entries  (principalId, customerId, orderId, field, from, to, cursor, limit)
//   GET /v1/audit/verify   (rate-limited: 6 a minute; call it only from the access-log screen)
//   GET /v1/audit/checkpoints, GET /v1/audit/alerts
import { api } from './http.ts';
import type { AccessEntry, VerifyResult, Checkpoint, AccessAlert } from './contracts.ts';
export type { AccessEntry, VerifyResult, Checkpoint, AccessAlert };

export interface AccessQuery {
  principalId?: string;
  customerId?: string;
  orderId?: string;
  from?: string;
  to?: string;
  cursor?: string;
}

export const searchAccess = (q: AccessQuery) => api<{ items: AccessEntry[]; nextCursor: string | null }>('/v1/audit/entries', { query: { ...q, limit: 50 } });
export const verifyLog = () => api<VerifyResult>('/v1/audit/verify');
export const listCheckpoints = () => api<{ verifierKey: string; items: Checkpoint[] }>('/v1/audit/checkpoints');
export const listAlerts = () => api<{ items: AccessAlert[]; nextCursor: string | null }>('/v1/audit/alerts', { query: { limit: 100 } });

/** The checkpoint covering the most entries (the latest one signed). */
export function latestCheckpoint(items: Checkpoint[]): Checkpoint | null {
  return items.reduce<Checkpoint | null>((best, c) => (!best || c.size > best.size ? c : best), null);
}
