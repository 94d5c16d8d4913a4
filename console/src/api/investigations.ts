// Investigations — the investigations area (src/investigations/investigations.routes.ts, investigations.schemas.ts).
// POST /v1/investigations runs the attribution synchronously and answers with the full result.
import { api } from './http.ts';
import type { InvestigationResult, InvestigationSummary } from './contracts.ts';
export type { InvestigationResult, InvestigationSummary };

export type Verdict = InvestigationResult['verdict'];
/** One principal the investigation tested, with the reads that back it. */
export type Suspect = InvestigationResult['suspects'][number];
export type EvidenceItem = Suspect['evidence'][number];

export const startInvestigation = (input: { caseId: string; clientRef?: string } | { reportIds: string[] }) =>
  api<InvestigationResult>('/v1/investigations', { method: 'POST', body: input });
export interface InvestigationQuery {
  verdict?: Verdict;
  sort?: 'created' | 'victims';
  offset?: number;
}
export const INVESTIGATIONS_PAGE = 50;
/** GET /v1/investigations: filtered, sorted and paged by the server. */
export const listInvestigations = (q: InvestigationQuery = {}) =>
  api<InvestigationSummary[]>('/v1/investigations', { query: { limit: INVESTIGATIONS_PAGE, ...q } });
export const getInvestigation = (id: string) => api<InvestigationResult>(`/v1/investigations/${encodeURIComponent(id)}`);

/** A suspect's name: the principal's, or a group's as "org: VendorX". */
/** A principal's display name; a group (principalId null) by its name — screens badge it as a group. */
export const principalLabel = (p: { principalId: string | null; name?: string; kind?: string }) =>
  p.principalId === null ? (p.name ?? '—') : (p.name ?? p.principalId);
