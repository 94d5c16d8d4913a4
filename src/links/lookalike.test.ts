import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { domainToASCII } from 'node:url';
import { LookalikeDetector, classifyEdit, TECHNIQUES, type Technique } from './lookalike.ts';
import { skeleton } from './confusables.ts';

const detector = new LookalikeDetector(['taobao.com', 'jd.com', 'alipay.com', 'apple.com', 'fanzha-shop.com.cn']);

// One row per technique (several for some); every technique in TECHNIQUES must appear.
const TABLE: [string, string, Technique][] = [
  ['taobaox.com', 'taobao.com', 'addition'],
  ['tambao.com', 'taobao.com', 'bitsquatting'], // o (0x6f) and m (0x6d) differ in one bit
  [domainToASCII('аlipay.com'), 'alipay.com', 'cyrillic'],
  [domainToASCII('аррӏе.com'), 'apple.com', 'cyrillic'],
  ['taobao-login.com', 'taobao.com', 'dictionary'],
  ['alipay-secure-account.com', 'alipay.com', 'dictionary'],
  ['taoba0.com', 'taobao.com', 'homoglyph'],
  ['a1ipay.com', 'alipay.com', 'homoglyph'],
  ['appie.com', 'apple.com', 'homoglyph'],
  ['tao-bao.com', 'taobao.com', 'hyphenation'],
  ['taoxbao.com', 'taobao.com', 'insertion'],
  ['aobao.com', 'taobao.com', 'omission'],
  ['alpay.com', 'alipay.com', 'omission'],
  ['taobaos.com', 'taobao.com', 'plural'],
  ['taobaoo.com', 'taobao.com', 'repetition'],
  ['alipayy.com', 'alipay.com', 'repetition'],
  ['tapbao.com', 'taobao.com', 'replacement'],
  ['tao.bao.com', 'taobao.com', 'subdomain'],
  ['jd.com.refund-check.cn', 'jd.com', 'subdomain'],
  ['taobao.cn', 'taobao.com', 'tld-swap'],
  ['jd.net', 'jd.com', 'tld-swap'],
  ['toabao.com', 'taobao.com', 'transposition'],
  ['taobeo.com', 'taobao.com', 'vowel-swap'],
  ['wwwtaobao.com', 'taobao.com', 'various'],
  ['taobaocom.cn', 'taobao.com', 'various'],
  [domainToASCII('alipaý.com'), 'alipay.com', 'confusable'],
  ['mytaobaoshop.net', 'taobao.com', 'brand-in-label'],
  ['taobao.refund-help.cn', 'taobao.com', 'brand-in-label'],
  ['jd-tuikuan.com', 'jd.com', 'pinyin'],
  ['jdtuikuankefu.com', 'jd.com', 'pinyin'],
  ['taobao-shouhou.cn', 'taobao.com', 'pinyin'],
  ['fanzha-shop-lipei.com', 'fanzha-shop.com.cn', 'pinyin'],
];

describe('look-alike detection', () => {
  it('names the brand and the technique, for every technique', () => {
    for (const [host, brand, technique] of TABLE) assert.deepEqual(detector.check(host), { brand, technique }, host);
    const covered = new Set(TABLE.map((r) => r[2]));
    for (const t of TECHNIQUES) assert.ok(covered.has(t), `technique ${t} has a table row`);
  });

  it('leaves the brands themselves, their subdomains and unrelated domains alone', () => {
    for (const host of [
      'taobao.com',
      'login.taobao.com',
      'jd.com',
      'pay.jd.com',
      'example.com',
      'weather.cn',
      'jdx.com',
      'id.com',
      'github.com',
      'pineapple.com',
      'snapple-juice.com',
    ])
      assert.equal(detector.check(host), null, host);
  });

  it('classifies single edits exactly', () => {
    const rows: [string, string, Technique | null][] = [
      ['alipays', 'alipay', 'plural'],
      ['alipayx', 'alipay', 'addition'],
      ['ali-pay', 'alipay', 'hyphenation'],
      ['aliipay', 'alipay', 'repetition'],
      ['alipy', 'alipay', 'omission'],
      ['laipay', 'alipay', 'transposition'],
      ['alipey', 'alipay', 'vowel-swap'],
      ['alipay', 'alipay', null],
      ['xyz', 'alipay', null],
    ];
    for (const [l, b, t] of rows) assert.equal(classifyEdit(l, b), t, `${l} vs ${b}`);
  });

  it('computes UTS #39 skeletons from the shipped confusables.txt', () => {
    assert.equal(skeleton('аррӏе'), skeleton('apple'));
    assert.equal(skeleton('ｐａｙ'), skeleton('pay'));
    assert.notEqual(skeleton('taobao'), skeleton('jd'));
  });
});
