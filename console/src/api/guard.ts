// Login protection — issue 7. The decision API is specified; the console reads an aggregate
// (decisions over time, top attacking prefixes), assumed here.
import { api } from './http.ts';

export interface LoginStats {
  mode: 'normal' | 'surge';
  counters?: 'memory' | 'redis' | 'fallback';
  series: { at: string; allow: number; challenge: number; deny: number }[];
  topPrefixes: { prefix: string; failures: number; denied: number }[];
}
export const loginStats = (hours = 24) => api<LoginStats>('/v1/logins/stats', { query: { hours } });
