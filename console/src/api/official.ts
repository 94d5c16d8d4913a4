// Official channels (warning list) — issue 5/6: the shop's hotlines, domains, SMS signatures.
import { api } from './http.ts';

export interface OfficialChannel {
  id: string;
  kind: 'phone' | 'domain' | 'sender' | 'merchant';
  value: string;
  note?: string;
}
export const listOfficialChannels = () => api<{ items: OfficialChannel[] }>('/v1/official-channels');
