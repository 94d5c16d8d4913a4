// Catalogue labels for server values shown on several screens (access-log field names): the
// translated label of a known value, or the value itself.
import { knownLabel } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';

type T = (k: MessageKey) => string;
export const fieldLabel = (t: T, f: string) => knownLabel(t, 'incident.field.', f);
export const fieldList = (t: T, fields: readonly string[]) => fields.map((f) => fieldLabel(t, f)).join('、') || '—';
