// Access log — issue 3 (vault + audit). GET /v1/audit/verify is specified
// ({intact:true} or {intact:false, position, reason}); the query and alert endpoints follow the
// issue's description (by principal, customer, order, field, time; paginated).
import { api } from './http.ts';

export interface AccessEntry {
  position: number;
  at: string;
  principalId: string;
  subject: string;
  fields: string[];
  purpose?: string;
  channel?: string;
  kind?: string;
}
export interface AccessQuery {
  principal?: string;
  customer?: string;
  order?: string;
  from?: string;
  to?: string;
  cursor?: string;
}
export interface VerifyResult {
  intact: boolean;
  position?: number;
  reason?: string;
  size?: number;
  checkpoint?: { size: number; root: string; at: string };
}
export interface AccessAlert {
  id: string;
  at: string;
  principalId: string;
  rule: string;
  severity?: 'low' | 'medium' | 'high';
  summary?: string;
}

export const searchAccess = (q: AccessQuery) => api<{ items: AccessEntry[]; nextCursor?: string | null }>('/v1/audit/entries', { query: { ...q, limit: 50 } });
export const verifyLog = () => api<VerifyResult>('/v1/audit/verify');
export const listAlerts = () => api<{ items: AccessAlert[] }>('/v1/access-alerts', { query: { limit: 50 } });
