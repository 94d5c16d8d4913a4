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
export const listInvestigations = () => api<InvestigationSummary[]>('/v1/investigations', { query: { limit: 50 } });
export const getInvestigation = (id: string) => api<InvestigationResult>(`/v1/investigations/${encodeURIComponent(id)}`);

/** A suspect's name: the principal's, or a group's as "org: VendorX". */
export const principalLabel = (p: { principalId: string | null; name?: string; kind?: string }) =>
  p.principalId === null ? `${p.kind ?? 'group'}: ${p.name ?? ''}` : (p.name ?? p.principalId);
