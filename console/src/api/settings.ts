// Settings edited at run time (server: src/vault/masking.routes.ts, src/notify/templates.routes.ts,
// src/settings/settings.routes.ts). Admins change them; analysts read them.
import { api } from './http.ts';

export const MASKED_ROLES = ['agent', 'analyst', 'admin'] as const;
export type MaskedRole = (typeof MASKED_ROLES)[number];
export type VaultField = 'name' | 'phone' | 'email' | 'address';
export type FieldView = 'clear' | 'mask' | 'region' | 'hide';
export type RoleViews = Record<VaultField, FieldView>;
export type MaskingRoles = Record<MaskedRole, RoleViews>;

export interface MaskingSettings {
  roles: MaskingRoles;
  defaults: MaskingRoles;
  overridden: boolean;
  updatedAt: string | null;
  fields: VaultField[];
  views: Record<VaultField, FieldView[]>;
  /** What each view makes of a made-up customer (null: hidden). */
  examples: Record<VaultField, Partial<Record<FieldView, string | null>>>;
}

export const getMasking = () => api<MaskingSettings>('/v1/settings/masking');
export const saveMasking = (roles: Partial<MaskingRoles>) => api<MaskingSettings>('/v1/settings/masking', { method: 'PUT', body: { roles } });
export const resetMasking = () => api<MaskingSettings>('/v1/settings/masking', { method: 'DELETE' });

export type Lang = 'zh-CN' | 'en';
export interface TemplateText {
  subject: string;
  text: string;
}
export interface TemplateItem {
  template: string;
  lang: Lang;
  variables: string[];
  builtIn: TemplateText;
  override: (TemplateText & { updatedAt: string; updatedBy: string | null }) | null;
}
export interface Preview extends TemplateText {
  characters: number;
}

const path = (template: string, lang: string) => `/v1/settings/templates/${encodeURIComponent(template)}/${encodeURIComponent(lang)}`;
export const listTemplates = async () => (await api<{ items: TemplateItem[] }>('/v1/settings/templates')).items;
export const saveTemplate = (template: string, lang: Lang, body: TemplateText) => api<TemplateItem>(path(template, lang), { method: 'PUT', body });
export const resetTemplate = (template: string, lang: Lang) => api<void>(path(template, lang), { method: 'DELETE' });
export const previewTemplate = (template: string, lang: Lang, body?: TemplateText) =>
  api<Preview>(`${path(template, lang)}/preview`, { method: 'POST', body: body ?? {} });

export interface SettingsChange {
  id: string;
  key: string;
  before: unknown;
  after: unknown;
  by: { keyId: string | null; keyName: string | null; role: string | null };
  at: string;
}
export const listChanges = async (prefix?: string) => (await api<{ items: SettingsChange[] }>('/v1/settings/changes', { query: { prefix, limit: 100 } })).items;
