// Console session and feature discovery (server: src/console/console.routes.ts).
import { api, setCsrfToken } from './http.ts';

export type Role = 'admin' | 'analyst';

export interface Session {
  signedIn: boolean;
  keyId?: string;
  keyName?: string;
  role?: Role;
  csrfToken?: string;
  expiresAt?: string;
}

export type Feature =
  | 'keys'
  | 'reports'
  | 'cases'
  | 'reportStats'
  | 'investigations'
  | 'auditEntries'
  | 'auditVerify'
  | 'accessAlerts'
  | 'canaries'
  | 'exports'
  | 'incidents'
  | 'loginStats'
  | 'check'
  | 'linkCheck'
  | 'officialChannels'
  // --- console settings ---
  | 'settingsMasking'
  | 'settingsTemplates'
  | 'settingsHistory';
export type Features = Record<Feature, boolean>;

export async function currentSession(): Promise<Session> {
  const s = await api<Session>('/v1/console/session');
  setCsrfToken(s.csrfToken ?? null);
  return s;
}

export async function signIn(key: string): Promise<Session> {
  const s = await api<Session>('/v1/console/session', { method: 'POST', body: { key }, headers: { 'x-requested-with': 'fanzha-console' } });
  setCsrfToken(s.csrfToken ?? null);
  return s;
}

export async function signOut(): Promise<void> {
  await api<void>('/v1/console/session', { method: 'DELETE' });
  setCsrfToken(null);
}

export async function features(): Promise<Features> {
  return (await api<{ features: Features }>('/v1/console/features')).features;
}
