// Official channels — the reports area's warning list (src/reports/reports.routes.ts):
// GET /v1/warning-list → the shop's own hotlines, domains, SMS senders and merchant ids.
import { api } from './http.ts';
import type { OfficialChannel } from './contracts.ts';
export type { OfficialChannel };

export const listOfficialChannels = () => api<OfficialChannel[]>('/v1/warning-list');
