// Investigations — the investigations area (src/investigations/investigations.routes.ts, investigations.schemas.ts).
// POST /v1/investigations runs the attribution synchronously and answers with the full result.
import { api } from './http.ts';

export type Verdict = 'attributed' | 'inconclusive' | 'consistent_with_account_takeover';
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
export interface InvestigationResult {
  id: string;
  createdAt: string;
  verdict: Verdict;
  summary: string;
  victims: { given: number; used: number; canaries: number; unresolved: { index: number; reason: string }[] };
  suspects: Suspect[];
  notExcluded: { principalId: string; name?: string; covered: number; tested: number; expectedCoverage: number; decideWith: string[] }[];
  atRisk: { principalId: string; since: string; count: number; customerIds: string[]; truncated: boolean }[];
  unexplainedVictims: number;
  notes: string[];
}
export interface InvestigationSummary {
  id: string;
  verdict: string;
  victims: number;
  source: string;
  createdAt: string;
}

export const startInvestigation = (input: { caseId: string; clientRef?: string } | { reportIds: string[] }) =>
  api<InvestigationResult>('/v1/investigations', { method: 'POST', body: input });
export const listInvestigations = () => api<InvestigationSummary[]>('/v1/investigations', { query: { limit: 50 } });
export const getInvestigation = (id: string) => api<InvestigationResult>(`/v1/investigations/${encodeURIComponent(id)}`);

export const principalLabel = (p: { principalId: string; name?: string }) => p.name ?? p.principalId;
