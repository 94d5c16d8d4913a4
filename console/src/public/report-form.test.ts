import { describe, expect, it } from 'vitest';
import { emptyDraft, parseAmount, splitList, toPayload, toggle, validateStep } from './report-form.ts';

describe('report form', () => {
  const now = new Date('2026-07-15T12:00:00');
  it('requires time and channel on step 1 and refuses a future contact time', () => {
    expect(validateStep(1, emptyDraft(), now)).toEqual({ contactAt: 'required', channel: 'required' });
    const d = { ...emptyDraft(), contactAt: '2026-07-16T09:00', channel: 'call' as const };
    expect(validateStep(1, d, now)).toEqual({ contactAt: 'invalidTime' });
    expect(validateStep(1, { ...d, contactAt: '2026-07-15T10:30' }, now)).toEqual({});
  });
  it('asks whether money was lost and needs a valid amount when it was', () => {
    expect(validateStep(3, emptyDraft())).toEqual({ lost: 'required' });
    expect(validateStep(3, { ...emptyDraft(), lost: false })).toEqual({});
    expect(validateStep(3, { ...emptyDraft(), lost: true, amount: 'abc' })).toEqual({ amount: 'invalidAmount' });
    expect(validateStep(3, { ...emptyDraft(), lost: true, amount: '47200' })).toEqual({});
  });
  it('parses amounts as typed by people, in minor units', () => {
    expect(parseAmount('47,200')).toBe(4_720_000);
    expect(parseAmount('２０８９')).toBe(208_900);
    expect(parseAmount('¥3400.5元')).toBe(340_050);
    expect(parseAmount('0')).toBeNull();
    expect(parseAmount('1.234')).toBeNull();
    expect(parseAmount('')).toBeNull();
  });
  it('splits lists on Western and Chinese separators', () => {
    expect(splitList('021-1234, 0086 138 0013 8000，95xxx；\nx')).toEqual(['021-1234', '0086 138 0013 8000', '95xxx', 'x']);
  });
  it('builds the POST /v1/reports body with checkboxes only for exposed secrets', () => {
    const d = {
      ...emptyDraft(),
      contactAt: '2026-07-15T10:30',
      channel: 'call' as const,
      callerNumbers: '+86 21 5555 0101, 021-5555-0102',
      claimedIdentity: ' 售后客服 ',
      knewFields: toggle(toggle([], 'items' as const), 'refund' as const),
      scriptTags: ['refund-problem' as const],
      urls: 'http://shop-tuikuan.example',
      lost: true,
      amount: '5000',
      method: 'bank-transfer',
      payeeName: '某某科技有限公司',
      exposed: ['sms-code' as const],
    };
    const p = toPayload(d);
    expect(p.contactAt).toBe(new Date('2026-07-15T10:30').toISOString());
    expect(p.callerNumbers).toEqual(['+86 21 5555 0101', '021-5555-0102']);
    expect(p.claimedIdentity).toBe('售后客服');
    expect(p.smsSender).toBeUndefined();
    expect(p.knewFields).toEqual(['items', 'refund']);
    expect(p.payments).toEqual([{ amount: 5000, currency: 'CNY', method: 'bank-transfer', payeeName: '某某科技有限公司' }]);
    expect(p.exposed).toEqual(['sms-code']);
    expect(toPayload({ ...d, lost: false }).payments).toEqual([]);
  });
  it('toggles a value in and out', () => {
    expect(toggle(['a'], 'b')).toEqual(['a', 'b']);
    expect(toggle(['a', 'b'], 'a')).toEqual(['b']);
  });
});
