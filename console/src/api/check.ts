// Public checks — the merged reports and links areas: GET /v1/check (exactly one of phone, domain,
// sender) and POST /v1/links/check ({urls} → {results}).
import { api } from './http.ts';

export type CheckKind = 'phone' | 'sender' | 'domain';
export type RiskTier = 'high' | 'suspected' | 'possible' | 'none';
export interface CheckResult {
  kind: string;
  official: boolean;
  officialLabel: string | null;
  risk: RiskTier;
  /** The server's advice for this answer (bilingual text). */
  advice: string;
}
export type LinkVerdict = 'official' | 'lookalike' | 'reported' | 'unknown' | 'invalid';
export interface LinkResult {
  input: string;
  verdict: LinkVerdict;
  url: string | null;
  domain: string | null;
  lookalike: { brand: string; technique: string } | null;
  risk: string;
  signals: string[];
}

export const checkValue = (kind: CheckKind, value: string) => api<CheckResult>('/v1/check', { query: { [kind]: value } });
export async function checkLink(url: string): Promise<LinkResult> {
  const r = await api<{ results: LinkResult[] }>('/v1/links/check', { method: 'POST', body: { urls: [url] } });
  const first = r.results[0];
  if (!first) throw new Error('The link check returned no result.');
  return first;
}
