import { describe, expect, it } from 'vitest';
import { insertVariable, placeholders, smsParts, strayBrace, unknownVariables } from './template-text.ts';

describe('template text editing', () => {
  it('finds the variables a text uses, once each, in order', () => {
    expect(placeholders('【{shop}】订单{orderId}，{shop} 详情 {domain}')).toEqual(['shop', 'orderId', 'domain']);
    expect(placeholders('no variables { here }')).toEqual([]);
  });
  it('names the variables a template lacks', () => {
    expect(unknownVariables('{shop} {orderId} {password}', ['shop', 'domain', 'orderId'])).toEqual(['password']);
    expect(unknownVariables('{shop}', ['shop'])).toEqual([]);
  });
  it('spots braces that are not a variable', () => {
    expect(strayBrace('{shop} {orderId')).toBe(true);
    expect(strayBrace('a } b')).toBe(true);
    expect(strayBrace('{1x}')).toBe(true);
    expect(strayBrace('{shop} ok {orderId}')).toBe(false);
  });
  it('inserts a variable at the caret or over the selection', () => {
    expect(insertVariable('订单已退款', 2, 2, 'orderId')).toEqual({ value: '订单{orderId}已退款', caret: 11 });
    expect(insertVariable('order XXX done', 6, 9, 'orderId')).toEqual({ value: 'order {orderId} done', caret: 15 });
    expect(insertVariable('abc', 10, 12, 'shop')).toEqual({ value: 'abc{shop}', caret: 9 });
  });
  it('counts SMS parts: GSM 7-bit for plain English, UCS-2 for Chinese', () => {
    expect(smsParts('a'.repeat(160))).toEqual({ encoding: 'gsm', units: 160, parts: 1 });
    expect(smsParts('a'.repeat(161))).toEqual({ encoding: 'gsm', units: 161, parts: 2 });
    expect(smsParts('[shop] €').units).toBe(2 + 4 + 2 + 1 + 2); // [ and ] and € are extension characters
    expect(smsParts('中'.repeat(70))).toEqual({ encoding: 'ucs2', units: 70, parts: 1 });
    expect(smsParts('中'.repeat(71))).toEqual({ encoding: 'ucs2', units: 71, parts: 2 });
    expect(smsParts('中'.repeat(135)).parts).toBe(3);
  });
});
