// What a settings change did, for the history screen and the masking grid: which role × field
// cells differ between two sets of rules, and what a setting key names.
import type { FieldView, MaskingRoles, MaskedRole, VaultField } from '../api/settings.ts';

export interface CellChange {
  role: MaskedRole;
  field: VaultField;
  from: FieldView;
  to: FieldView;
}

const ROLES: MaskedRole[] = ['agent', 'analyst', 'admin'];
const FIELDS: VaultField[] = ['name', 'phone', 'email', 'address'];

/** The cells whose view differs; a missing role or set (null: the defaults) counts as `fallback`. */
export function changedCells(a: Partial<MaskingRoles> | null, b: Partial<MaskingRoles> | null, fallback: MaskingRoles): CellChange[] {
  const out: CellChange[] = [];
  for (const role of ROLES)
    for (const field of FIELDS) {
      const from = (a?.[role] ?? fallback[role])[field];
      const to = (b?.[role] ?? fallback[role])[field];
      if (from !== to) out.push({ role, field, from, to });
    }
  return out;
}

export type SettingKey = { kind: 'masking' } | { kind: 'template'; template: string; lang: string } | { kind: 'other'; key: string };

export function parseSettingKey(key: string): SettingKey {
  if (key === 'vault.masking') return { kind: 'masking' };
  const m = /^notify\.template\.(.+)\.(zh-CN|en)$/.exec(key);
  if (m) return { kind: 'template', template: m[1]!, lang: m[2]! };
  return { kind: 'other', key };
}
