// Leak incidents (src/incidents/incidents.routes.ts and incidents.schemas.ts). Roles: analysts and
// admins open, list, read, edit the scope and contain; only admins notify and close.
import { api, ApiError, buildUrl, type Problem } from './http.ts';

export type IncidentState = 'open' | 'contained' | 'notified' | 'closed';

/** The access-log fields an incident's scope can name (src/lib/fields.ts: ACCESS_FIELDS). */
export const INCIDENT_FIELDS = ['name', 'phone', 'email', 'address', 'items', 'price', 'placedAt', 'refund', 'orderNo'] as const;
export type IncidentField = (typeof INCIDENT_FIELDS)[number];

export interface Containment {
  keysRevoked: number;
  frozenPrincipals: string[];
  /** status: sent | failed | not_configured; `at` in epoch milliseconds. */
  webhook: { status: string; httpStatus?: number; error?: string; at: number };
}

export interface Incident {
  id: string;
  title: string;
  state: IncidentState;
  /** investigation | canary_trip | leak_match | manual */
  source: string;
  sourceRef: string | null;
  principalIds: string[];
  fields: string[];
  from: string;
  to: string;
  /** Customers in scope (canaries excluded). */
  affected: number;
  counts: { byField: Record<string, number>; byProvince: Record<string, number> };
  containment: Containment | null;
  createdAt: string;
  updatedAt: string;
}

export interface IncidentEvent {
  /** opened | scope_edited | contained | notified | notified_again | closed */
  kind: string;
  fromState: string | null;
  toState: string | null;
  reason: string | null;
  detail: Record<string, unknown> | null;
  byKey: string | null;
  byName: string | null;
  byPrincipal: string | null;
  at: string;
}

export type IncidentDetail = Incident & { events: IncidentEvent[] };

export interface NoticeProgress {
  affected: number;
  enqueued: number;
  queued: number;
  sent: number;
  delivered: number;
  failed: number;
  suppressed: number;
  retrying: number;
  retries: number;
  running: boolean;
}

export interface ScopeInput {
  principalIds: string[];
  fields: string[];
  from: string;
  to: string;
}
export type CreateIncidentInput = { investigationId: string } | (ScopeInput & { title: string; clientRef?: string });
export type ScopeEditInput = Partial<ScopeInput> & { reason: string };

export type ReportKind = 'regulator' | 'postmortem';
export type ReportFormat = 'md' | 'pdf';

const path = (id: string, rest = '') => `/v1/incidents/${encodeURIComponent(id)}${rest}`;

export const listIncidents = () => api<Incident[]>('/v1/incidents');
export const getIncident = (id: string) => api<IncidentDetail>(path(id));
export const createIncident = (input: CreateIncidentInput) => api<Incident>('/v1/incidents', { method: 'POST', body: input });
export const editScope = (id: string, edit: ScopeEditInput) => api<Incident>(path(id, '/scope'), { method: 'PATCH', body: edit });
export const containIncident = (id: string) => api<Incident>(path(id, '/contain'), { method: 'POST' });
export const notifyIncident = (id: string) => api<NoticeProgress>(path(id, '/notify'), { method: 'POST' });
export const noticeProgress = (id: string) => api<NoticeProgress>(path(id, '/notify'));
export const closeIncident = (id: string, reason: string) => api<Incident>(path(id, '/close'), { method: 'POST', body: reason ? { reason } : {} });
export const affectedCustomers = (id: string, after?: string, limit = 50) => api<{ customerIds: string[] }>(path(id, '/customers'), { query: { after, limit } });

export const reportUrl = (id: string, kind: ReportKind, format: ReportFormat) => buildUrl(path(id, '/report'), { kind, format });
export const reportFileName = (id: string, kind: ReportKind, format: ReportFormat) => `${id}-${kind}.${format}`;

/**
 * Fetches a report as a Blob (cookie auth, same origin), so a failure — a missing PDF font is a 503
 * problem — is shown as the problem rather than saved as a file.
 */
export async function fetchReport(id: string, kind: ReportKind, format: ReportFormat): Promise<Blob> {
  const res = await fetch(reportUrl(id, kind, format), { credentials: 'same-origin', headers: { accept: format === 'pdf' ? 'application/pdf' : 'text/markdown' } });
  if (!res.ok) {
    let problem: Problem | null = null;
    try {
      const j = (await res.json()) as unknown;
      if (j && typeof j === 'object' && 'type' in j) problem = j as Problem;
    } catch {
      problem = null;
    }
    throw new ApiError(res.status, problem);
  }
  return res.blob();
}
