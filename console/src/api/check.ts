// Public checks — issue 6 (GET /v1/check) and issue 5 (POST /v1/links/check).
import { api } from './http.ts';

export type CheckKind = 'phone' | 'sender' | 'domain';
export interface CheckResult {
  official: boolean;
  tier?: 'high' | 'suspected' | 'possible' | 'none';
  channel?: string;
}
export type LinkVerdict = 'official' | 'lookalike' | 'reported' | 'unknown';
export interface LinkResult {
  url?: string;
  verdict: LinkVerdict;
  brand?: string;
  technique?: string;
}

export const checkValue = (kind: CheckKind, value: string) => api<CheckResult>('/v1/check', { query: { [kind]: value } });
export async function checkLink(url: string): Promise<LinkResult> {
  const r = await api<LinkResult | { results: LinkResult[] }>('/v1/links/check', { method: 'POST', body: { urls: [url] } });
  return 'results' in r ? r.results[0]! : r;
}
