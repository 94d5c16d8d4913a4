// Masking rules edited at run time: what each reading role sees of each field. The configuration
// (areas.vault.masking) gives the defaults; a stored override (settings key "vault.masking")
// replaces the per-role views and is read through the settings store's short cache, so a change
// reaches every node's masked views within seconds and without a restart.
import type { SettingsStore } from '../settings/settings.service.ts';
import type { Actor } from '../settings/settings.repository.ts';
import { fail } from '../lib/errors.ts';
import { VAULT_FIELDS, viewAddress, viewValue, type FieldView, type MaskingConfig, type VaultField } from './masking.ts';

export const MASKING_KEY = 'vault.masking';
/** The roles that read customers (GET /v1/customers…); ingest never sees a masked view. */
export const MASKED_ROLES = ['agent', 'analyst', 'admin'] as const;
export type MaskedRole = (typeof MASKED_ROLES)[number];
/** The views each field supports: "region" (province and city) exists only for addresses. */
export const FIELD_VIEWS: Record<VaultField, readonly FieldView[]> = {
  name: ['clear', 'mask', 'hide'],
  phone: ['clear', 'mask', 'hide'],
  email: ['clear', 'mask', 'hide'],
  address: ['clear', 'mask', 'region', 'hide'],
};

type ValueView = Exclude<FieldView, 'region'>;
export type RoleViews = { name: ValueView; phone: ValueView; email: ValueView; address: FieldView };
export type MaskingRoles = Record<MaskedRole, RoleViews>;

const HIDE_ALL: RoleViews = { name: 'hide', phone: 'hide', email: 'hide', address: 'hide' };

/** A made-up customer: the console shows what each view makes of it. */
const SAMPLE = {
  name: '刘小明',
  phone: '+8613812345678',
  email: 'liu.xiaoming@example.com',
  address: { province: '广东省', city: '深圳市', district: '南山区', line: '科技园路 1 号' },
};

export class MaskingRules {
  constructor(
    private readonly store: SettingsStore,
    private readonly defaults: MaskingConfig,
  ) {}

  defaultRoles(): MaskingRoles {
    return Object.fromEntries(MASKED_ROLES.map((r) => [r, { ...(this.defaults.roles[r] ?? HIDE_ALL) }])) as MaskingRoles;
  }

  async stored() {
    return this.store.get<Partial<MaskingRoles>>(MASKING_KEY);
  }

  /** The configuration with the stored per-role views laid over it. */
  async current(): Promise<MaskingConfig> {
    const s = await this.stored();
    return s ? { ...this.defaults, roles: { ...this.defaults.roles, ...s.value } } : this.defaults;
  }

  async roles(): Promise<MaskingRoles> {
    const m = await this.current();
    return Object.fromEntries(MASKED_ROLES.map((r) => [r, { ...(m.roles[r] ?? HIDE_ALL) }])) as MaskingRoles;
  }

  /** Replaces the views of the roles given (the others keep theirs); records the change. */
  async update(change: Partial<MaskingRoles>, actor: Actor) {
    const next = { ...(await this.roles()), ...change };
    for (const [role, views] of Object.entries(next))
      for (const f of VAULT_FIELDS)
        if (!FIELD_VIEWS[f].includes((views as RoleViews)[f])) throw fail.badRequest(`${role}.${f}: "${views[f]}" is not a view of this field`);
    return this.store.set(MASKING_KEY, next, actor);
  }

  /** Back to the configuration's rules. */
  reset(actor: Actor) {
    return this.store.set(MASKING_KEY, null, actor);
  }

  /** What every view makes of the sample customer, under the current digit and character counts. */
  examples(m: MaskingConfig): Record<VaultField, Partial<Record<FieldView, string | null>>> {
    const out = {} as Record<VaultField, Partial<Record<FieldView, string | null>>>;
    for (const f of VAULT_FIELDS) {
      out[f] = {};
      for (const v of FIELD_VIEWS[f]) {
        if (f === 'address') {
          const a = viewAddress(SAMPLE.address, v);
          out[f][v] = a ? [a.province, a.city, a.district, a.line].filter(Boolean).join(' ') : null;
        } else out[f][v] = viewValue(f, SAMPLE[f], v, m);
      }
    }
    return out;
  }
}
