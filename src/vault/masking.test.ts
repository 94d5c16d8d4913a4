import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MASKING, maskEmail, maskName, maskPhone, maskingConfig, viewAddress } from './masking.ts';

const m = DEFAULT_MASKING;

describe('masking rules', () => {
  it('masks Chinese and Latin names', () => {
    assert.equal(maskName('刘小明', m), '刘*');
    assert.equal(maskName('欧阳翠花', m), '欧*');
    assert.equal(maskName('欧阳翠花', { ...m, cjkNameKeep: 2 }), '欧阳*');
    assert.equal(maskName('John Smith', m), 'J* S*');
    assert.equal(maskName('Zoë', m), 'Z*');
  });
  it('masks CN mobiles as 138****5678 and other numbers to country code and last digits', () => {
    assert.equal(maskPhone('+8613812345678', m), '138****5678');
    assert.equal(maskPhone('+442079460958', m), '+44 ******0958');
    assert.equal(maskPhone('+861062345678', m), '+86 ******5678', 'CN landline');
    assert.equal(maskPhone('+8613812345678', { ...m, cnPhoneKeep: [3, 2] }), '138******78');
  });
  it('masks e-mails and cuts addresses to the region', () => {
    assert.equal(maskEmail('xiaoming@example.cn', m), 'x***@example.cn');
    assert.equal(maskEmail('a@b.cn', m), 'a***@b.cn');
    const a = { province: '广东省', city: '深圳市', district: '南山区', line: '科技园1号' };
    assert.deepEqual(viewAddress(a, 'region'), { province: '广东省', city: '深圳市' });
    assert.deepEqual(viewAddress(a, 'mask'), { province: '广东省', city: '深圳市', district: '南山区', line: '***' });
    assert.equal(viewAddress(a, 'hide'), null);
  });
  it('reads role rules from configuration over the defaults', () => {
    const c = maskingConfig({ vault: { masking: { roles: { agent: { name: 'clear', phone: 'mask', email: 'hide', address: 'hide' } } } } });
    assert.equal(c.roles.agent!.name, 'clear');
    assert.equal(c.roles.analyst!.name, 'mask');
  });
});
