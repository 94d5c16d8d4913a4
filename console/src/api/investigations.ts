// Investigations — the investigations area (src/investigations/investigations.routes.ts, investigations.schemas.ts).
// POST /v1/investigations runs the attribution synchronously and answers with the full result.
import { api } from './http.ts';

export type Verdict = 'attributed' | 'inconclusive' | 'consistent_with_account_takeover';
export interface EvidenceItem {
  victim: { customerId: string; orderId?: string; reportId?: string; contactAt: string; knewFields: string[] };
  reads: { at: string; fields: string[]; channel: string; orderId?: string; principalId?: string }[];
}
/** A principal, or a group of principals sharing an org or team (principalId null, kind "org" | "team"). */
export interface Suspect {
  principalId: string | null;
  name?: string;
  kind?: string;
  org?: string;
  team?: string;
  status: 'attributed' | 'associated' | 'not_excluded' | 'not_significant';
  round: number;
  /** Victims whose data this principal read, with the fields the caller knew, before the contact. */
  covered: number;
  tested: number;
  missed: number;
  /** Coverage expected if the principal had nothing to do with it. */
  expectedCoverage: number;
  pValue: number;
  adjustedPValue: number;
  /** log10 of the p-values (never underflow; absent in investigations stored before they existed). */
  log10PValue?: number;
  log10AdjustedPValue?: number;
  /** How many times likelier reporters would have to be among the customers it read for chance to explain it. */
  selectionBiasToExplain?: number;
  biasGuarded?: number;
  selfControlled?: { log10PValue: number; inHazardWindow: number; informative: number; expected: number };
  members?: { principalId: string; name?: string; covered: number }[];
  memberIds?: string[];
  evidence: EvidenceItem[];
}
export interface InvestigationResult {
  id: string;
  createdAt: string;
  verdict: Verdict;
  summary: string;
  victims: { given: number; used: number; canaries: number; unresolved: { index: number; reason: string }[] };
  suspects: Suspect[];
  notExcluded: { principalId: string; name?: string; reason?: 'reads_nearly_all' | 'associated'; covered: number; tested: number; expectedCoverage: number; selectionBiasToExplain?: number; decideWith: string[] }[];
  atRisk: { principalId: string | null; name?: string; since: string; count: number; customerIds: string[]; truncated: boolean }[];
  settings?: { alpha: number; hazardDays?: number; minSelectionBias?: number };
  alphaSpent?: { alpha: number; tests: number; baseRateSampling: number };
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

/** A suspect's name: the principal's, or a group's as "org: VendorX". */
export const principalLabel = (p: { principalId: string | null; name?: string; kind?: string }) =>
  p.principalId === null ? `${p.kind ?? 'group'}: ${p.name ?? ''}` : (p.name ?? p.principalId);
