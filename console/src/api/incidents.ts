// Leak incidents (src/incidents/incidents.schemas.ts: Incident).
import { api } from './http.ts';

export type IncidentState = 'open' | 'contained' | 'notified' | 'closed';

export interface Incident {
  id: string;
  title: string;
  state: IncidentState;
  /** investigation | canary-trip | leak-match | manual */
  source: string;
  sourceRef: string | null;
  principalIds: string[];
  fields: string[];
  from: string;
  to: string;
  /** Customers in scope (canaries excluded). */
  affected: number;
  createdAt: string;
  updatedAt: string;
}
export const listIncidents = () => api<Incident[]>('/v1/incidents');
