// API keys (on main: src/apikeys/apikeys.routes.ts). Admin only.
import { api } from './http.ts';

export type KeyRole = 'admin' | 'analyst' | 'agent' | 'ingest';
export interface ApiKeyInfo {
  id: string;
  name: string;
  role: KeyRole;
  principalId: string | null;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export const listKeys = async () => (await api<{ items: ApiKeyInfo[] }>('/v1/keys')).items;
export const createKey = (input: { role: KeyRole; name?: string; principalId?: string }) =>
  api<{ key: string; info: ApiKeyInfo }>('/v1/keys', { method: 'POST', body: input });
export const revokeKey = (id: string) => api<void>(`/v1/keys/${encodeURIComponent(id)}`, { method: 'DELETE' });
