// Canary customers and fingerprinted exports — issue 4. POST endpoints are named by the issue;
// the listings are the console's assumed shapes.
import { api } from './http.ts';

export interface Canary {
  id: string;
  scope: string;
  createdAt: string;
  trips: number;
  lastTripAt?: string | null;
}
export interface ExportRecord {
  id: string;
  recipient: string;
  records: number;
  createdAt: string;
  substitutes?: 'none' | 'token' | 'virtual_number';
}
export const listCanaries = () => api<{ items: Canary[] }>('/v1/canaries');
export const listExports = () => api<{ items: ExportRecord[] }>('/v1/exports');
