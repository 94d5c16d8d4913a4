import { describe, expect, it } from 'vitest';
import { changedCells, parseSettingKey } from './settings-changes.ts';
import type { MaskingRoles } from '../api/settings.ts';

const defaults: MaskingRoles = {
  agent: { name: 'mask', phone: 'mask', email: 'hide', address: 'region' },
  analyst: { name: 'mask', phone: 'mask', email: 'mask', address: 'region' },
  admin: { name: 'mask', phone: 'mask', email: 'mask', address: 'region' },
};

describe('settings changes', () => {
  it('lists the role × field cells that differ, null standing for the defaults', () => {
    const after = { ...defaults, agent: { ...defaults.agent, name: 'hide' as const, phone: 'clear' as const } };
    expect(changedCells(null, after, defaults)).toEqual([
      { role: 'agent', field: 'name', from: 'mask', to: 'hide' },
      { role: 'agent', field: 'phone', from: 'mask', to: 'clear' },
    ]);
    expect(changedCells(after, null, defaults)).toHaveLength(2);
    expect(changedCells(defaults, null, defaults)).toEqual([]);
    expect(changedCells({ admin: { ...defaults.admin, address: 'clear' } }, null, defaults)).toEqual([
      { role: 'admin', field: 'address', from: 'clear', to: 'region' },
    ]);
  });
  it('names what a key is', () => {
    expect(parseSettingKey('vault.masking')).toEqual({ kind: 'masking' });
    expect(parseSettingKey('notify.template.refund.requested.zh-CN')).toEqual({ kind: 'template', template: 'refund.requested', lang: 'zh-CN' });
    expect(parseSettingKey('notify.template.contact.opened.en')).toEqual({ kind: 'template', template: 'contact.opened', lang: 'en' });
    expect(parseSettingKey('x.y')).toEqual({ kind: 'other', key: 'x.y' });
  });
});
