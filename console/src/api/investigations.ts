// Investigations — issue 4 (leaks area). POST /v1/investigations and GET /v1/investigations/:id
// are named by the issue; the result fields below follow its description (suspects with coverage,
// expected coverage, corrected p-value and evidence; verdict; not-excluded; customers at risk).
import { api } from './http.ts';

export type Verdict = 'attributed' | 'inconclusive' | 'account_takeover';
export interface Evidence {
  victim: string;
  contactAt: string;
  accessAt: string;
  fields: string[];
}
export interface Suspect {
  principalId: string;
  principalName?: string;
  /** Victims whose data this principal read, with the needed fields, before the contact. */
  coverage: number;
  victims: number;
  /** Coverage expected if the principal had nothing to do with it. */
  expected: number;
  pValue: number;
  attributed?: boolean;
  evidence: Evidence[];
}
export interface InvestigationResult {
  id: string;
  status: 'running' | 'done' | 'failed';
  caseId?: string;
  createdAt: string;
  verdict?: Verdict;
  threshold?: number;
  suspects: Suspect[];
  notExcluded: { principalId: string; principalName?: string; coverage: number; victims: number; reason?: string }[];
  atRisk: { count: number; customers: { customerId: string; name?: string; phone?: string }[] };
}
export interface InvestigationSummary {
  id: string;
  status: InvestigationResult['status'];
  verdict?: Verdict;
  caseId?: string;
  createdAt: string;
}

export const startInvestigation = (input: { caseId: string } | { reportIds: string[] }) =>
  api<{ id: string }>('/v1/investigations', { method: 'POST', body: input });
export const listInvestigations = () => api<{ items: InvestigationSummary[] }>('/v1/investigations', { query: { limit: 50 } });
export const getInvestigation = (id: string) => api<InvestigationResult>(`/v1/investigations/${encodeURIComponent(id)}`);
export const openIncident = (investigationId: string) => api<{ id: string }>('/v1/incidents', { method: 'POST', body: { investigationId } });
