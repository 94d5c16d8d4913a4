import { describe, expect, it } from 'vitest';
import { detectKind, normaliseLink, normaliseSender } from './check-input.ts';

describe('checker input', () => {
  it.each([
    ['https://tuikuan-kefu.example/login', 'link'],
    ['shop.example.com/refund', 'link'],
    ['www.example.cn', 'link'],
    ['+86 138 0013 8000', 'phone'],
    ['400-800-1234', 'phone'],
    ['０２１ ５５５５ ０１０１', 'phone'],
    ['【某某商城】', 'sender'],
    ['1069012345678', 'sender'],
    ['10086', 'sender'],
    ['ShopCS', 'sender'],
  ])('%s is a %s', (input, kind) => {
    expect(detectKind(input)).toBe(kind);
  });
  it('normalises senders and links for the API', () => {
    expect(normaliseSender(' 【某某商城】 ')).toBe('某某商城');
    expect(normaliseLink('shop.example.com/x')).toBe('https://shop.example.com/x');
    expect(normaliseLink('http://a.example')).toBe('http://a.example');
  });
});
