// Leak incidents (src/incidents/incidents.routes.ts and incidents.schemas.ts). Roles: analysts and
// admins open, list, read, edit the scope and contain; only admins notify and close.
import { api, ApiError, buildUrl, type Problem } from './http.ts';
import type { CreateIncidentBody, Incident, IncidentEvent, IncidentDetail, NoticeProgress } from './contracts.ts';
export type { Incident, IncidentEvent, IncidentDetail, NoticeProgress };

export type IncidentState = Incident['state'];

/** The access-log fields an incident's scope can name (src/lib/fields.ts: ACCESS_FIELDS). */
export const INCIDENT_FIELDS = ['name', 'phone', 'email', 'address', 'items', 'price', 'placedAt', 'refund', 'orderNo'] as const satisfies readonly NonNullable<
  CreateIncidentBody['fields']
>[number][];
export type IncidentField = (typeof INCIDENT_FIELDS)[number];

export type Containment = NonNullable<Incident['containment']>;

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

export const INCIDENT_STATES = ['open', 'contained', 'notified', 'closed'] as const satisfies readonly IncidentState[];
export interface IncidentQuery {
  state?: IncidentState;
  sort?: 'created' | 'updated' | 'affected';
  offset?: number;
}
export const INCIDENTS_PAGE = 50;
/** GET /v1/incidents: filtered, sorted and paged by the server. */
export const listIncidents = (q: IncidentQuery = {}) => api<Incident[]>('/v1/incidents', { query: { limit: INCIDENTS_PAGE, ...q } });
export const getIncident = (id: string) => api<IncidentDetail>(path(id));
export const createIncident = (input: CreateIncidentInput) => api<Incident>('/v1/incidents', { method: 'POST', body: input });
export const editScope = (id: string, edit: ScopeEditInput) => api<Incident>(path(id, '/scope'), { method: 'PATCH', body: edit });
export const containIncident = (id: string) => api<Incident>(path(id, '/contain'), { method: 'POST' });
export const notifyIncident = (id: string) => api<NoticeProgress>(path(id, '/notify'), { method: 'POST' });
export const noticeProgress = (id: string) => api<NoticeProgress>(path(id, '/notify'));
export const closeIncident = (id: string, reason: string) => api<Incident>(path(id, '/close'), { method: 'POST', body: reason ? { reason } : {} });
export const affectedCustomers = (id: string, after?: string, limit = 50) =>
  api<{ customerIds: string[] }>(path(id, '/customers'), { query: { after, limit } });

export const reportUrl = (id: string, kind: ReportKind, format: ReportFormat) => buildUrl(path(id, '/report'), { kind, format });
export const reportFileName = (id: string, kind: ReportKind, format: ReportFormat) => `${id}-${kind}.${format}`;

/**
 * Fetches a report as a Blob (cookie auth, same origin), so a failure — a missing PDF font is a 503
 * problem — is shown as the problem rather than saved as a file.
 */
export async function fetchReport(id: string, kind: ReportKind, format: ReportFormat): Promise<Blob> {
  const res = await fetch(reportUrl(id, kind, format), {
    credentials: 'same-origin',
    headers: { accept: format === 'pdf' ? 'application/pdf' : 'text/markdown' },
  });
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
