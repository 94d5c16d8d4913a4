// Investigations — the investigations area (src/investigations/investigations.routes.ts, investigations.schemas.ts).
// POST /v1/investigations runs the attribution synchronously and answers with the full result.
import { api } from './http.ts';
import type { InvestigationResult, InvestigationSummary } from './contracts.ts';
export type { InvestigationResult, InvestigationSummary };

export type Verdict = InvestigationResult['verdict'];
export interface EvidenceItem {
  victim: { customerId: string; orderId?: string; reportId?: string; contactAt: string; knewFields: string[] };
  reads: { at: string; fields: string[]; channel: string; orderId?: string }[];
}
export interface Suspect {
  principalId: string;
  name?: string;
  kind?: string;
  org?: string;
  team?: string;
  status: 'attributed' | 'not_excluded' | 'not_significant';
  round: number;
  /** Victims whose data this principal read, with the fields the caller knew, before the contact. */
  covered: number;
  tested: number;
  missed: number;
  /** Coverage expected if the principal had nothing to do with it. */
  expectedCoverage: number;
  pValue: number;
  adjustedPValue: number;
  evidence: EvidenceItem[];
}

export const startInvestigation = (input: { caseId: string; clientRef?: string } | { reportIds: string[] }) =>
  api<InvestigationResult>('/v1/investigations', { method: 'POST', body: input });
export const listInvestigations = () => api<InvestigationSummary[]>('/v1/investigations', { query: { limit: 50 } });
export const getInvestigation = (id: string) => api<InvestigationResult>(`/v1/investigations/${encodeURIComponent(id)}`);

export const principalLabel = (p: { principalId: string; name?: string }) => p.name ?? p.principalId;
