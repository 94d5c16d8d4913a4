// Leak incidents (scope, notices, regulator report). Assumed shapes until the area lands.
import { api } from './http.ts';

export interface Incident {
  id: string;
  status: 'open' | 'contained' | 'closed';
  openedAt: string;
  principalId?: string;
  investigationId?: string;
  atRisk: number;
  notified: number;
}
export const listIncidents = () => api<{ items: Incident[] }>('/v1/incidents');
