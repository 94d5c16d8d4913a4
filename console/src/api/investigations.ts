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

export const principalLabel = (p: { principalId: string; name?: string }) => p.name ?? p.principalId;
