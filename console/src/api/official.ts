// Official channels — the reports area's warning list (src/reports/reports.routes.ts):
// GET /v1/warning-list → the shop's own hotlines, domains, SMS senders and merchant ids.
import { api } from './http.ts';

export interface OfficialChannel {
  id: string;
  kind: 'phone' | 'domain' | 'sms_sender' | 'merchant' | string;
  value: string;
  label: string | null;
  createdAt: string;
}
export const listOfficialChannels = () => api<OfficialChannel[]>('/v1/warning-list');
