import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeReportedPhone, normalizeAccount, normalizeCompany, normalizeSender, normalizeUrl } from './normalize.ts';
import { redact, isResidentId, REDACTED } from './redact.ts';
import { IncrementalClusters, batchClusters, canonicalPartition } from './clustering.ts';
import fc from 'fast-check';
import { domainToASCII } from 'node:url';

describe('normalisation tables', () => {
  it('phones: many spellings of one number become one E.164 value', () => {
    for (const s of [
      '13812345678',
      '138 1234 5678',
      '138-1234-5678',
      '+86 138 1234 5678',
      '+8613812345678',
      '008613812345678',
      '0086 138 1234 5678',
      '86 13812345678',
      '１３８１２３４５６７８',
      '＋８６ １３８－１２３４－５６７８',
      '(+86) 138.1234.5678',
    ])
      assert.equal(normalizeReportedPhone(s), '+8613812345678', s);
    for (const s of ['010-12345678', '+86 10 1234 5678', '0086-10-12345678']) assert.equal(normalizeReportedPhone(s), '+861012345678', s);
    assert.equal(normalizeReportedPhone('95188'), 'cn-short:95188');
    assert.equal(normalizeReportedPhone('+86 95188'), 'cn-short:95188');
    for (const s of ['hello', '12', '', '1381234567890123456']) assert.equal(normalizeReportedPhone(s), null, s);
  });

  it('URLs: scheme/host case, credentials, default port, IDN, full-width and defanged spellings', () => {
    const cases: [string, string, string][] = [
      ['HTTP://JD-Refund.Example.CN:80/a?b=1#frag', 'http://jd-refund.example.cn/a?b=1', 'example.cn'],
      ['https://user:pass@jd-tuikuan.com:443/login', 'https://jd-tuikuan.com/login', 'jd-tuikuan.com'],
      ['jd-tuikuan.com/login', 'http://jd-tuikuan.com/login', 'jd-tuikuan.com'],
      ['ｊｄ－ｔｕｉｋｕａｎ。ｃｏｍ／ｌｏｇｉｎ', 'http://jd-tuikuan.com/login', 'jd-tuikuan.com'],
      ['hxxps://jd-tuikuan[.]com/login', 'https://jd-tuikuan.com/login', 'jd-tuikuan.com'],
      [`http://京东退款.com/`, `http://${domainToASCII('京东退款.com')}/`, domainToASCII('京东退款.com')],
      ['http://a.b.taobao-refund.com.cn./x', 'http://a.b.taobao-refund.com.cn/x', 'taobao-refund.com.cn'],
      ['http://1.2.3.4:8080/pay', 'http://1.2.3.4:8080/pay', '1.2.3.4'],
    ];
    for (const [input, url, reg] of cases) {
      const n = normalizeUrl(input);
      assert.ok(n, input);
      assert.equal(n.url, url, input);
      assert.equal(n.registrableDomain, reg, input);
    }
    for (const bad of ['javascript:alert(1)', 'not a url', 'ftp://x.com/', 'localhost']) assert.equal(normalizeUrl(bad), null, bad);
  });

  it('payee accounts to digits and company names to one spelling', () => {
    for (const s of ['6222 0212 3456 7890 128', '6222-0212-3456-7890-128', '６２２２０２１２３４５６７８９０１２８', '6222021234567890128'])
      assert.equal(normalizeAccount(s), '6222021234567890128', s);
    assert.equal(normalizeAccount('11010519491231002X'), null, 'a resident ID number is never accepted as an account');
    for (const s of ['深圳市某某科技有限公司', '深圳市 某某科技 有限公司', '深圳市某某科技有限公司 ', '深圳市某某科技有限公司'])
      assert.equal(normalizeCompany(s), '深圳市某某科技有限公司', s);
    assert.equal(normalizeCompany('北京某某（上海）网络技术有限公司'), normalizeCompany('北京某某 (上海) 网络技术有限公司'));
    assert.equal(normalizeCompany('ＡＢＣ Trading  Co.'), 'abc trading co');
    assert.equal(normalizeSender('【京东】'), '京东');
    assert.equal(normalizeSender('[京东]'), '京东');
    assert.equal(normalizeSender('106 9000 1234'), '+8610690001234');
  });
});

describe('redaction', () => {
  it('removes card numbers, ID numbers, passwords and SMS codes from free text', () => {
    assert.ok(isResidentId('11010519491231002X'));
    const cases: [string, string[], (keyof typeof REDACTED)[]][] = [
      ['我把卡号6222 0212 3456 7890 128告诉了他', ['6222', '7890'], ['card']],
      ['card 4111-1111-1111-1111 given', ['4111'], ['card']],
      ['身份证11010519491231002X', ['11010519491231002X', '1949'], ['id']],
      ['ID 110105 19491231 002x', ['19491231'], ['id']],
      ['验证码是483920', ['483920'], ['code']],
      ['他要我念了短信里的 4839 验证码', ['4839'], ['code']],
      ['the verification code: 123456', ['123456'], ['code']],
      ['支付密码：abc12345，后来', ['abc12345'], ['password']],
      ['password is Hunter2!', ['Hunter2!'], ['password']],
    ];
    for (const [text, gone, kinds] of cases) {
      const r = redact(text);
      for (const g of gone) assert.ok(!r.text.includes(g), `${text} → ${r.text}`);
      for (const k of kinds) assert.ok(r.removed.has(k), `${text}: ${k}`);
    }
    // The scammer's phone number stays: it is the evidence.
    assert.match(redact('他用13812345678打来的，订单号12345').text, /13812345678/);
  });
});

describe('clustering rule', () => {
  it('incremental clustering equals a from-scratch union-find, cap included (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 4 }), { maxLength: 80 }), fc.integer({ min: 1, max: 6 }), (reports, cap) => {
        const keys = reports.map((r) => [...new Set(r.map((x) => `k${x}`))]);
        const inc = new IncrementalClusters(cap);
        keys.forEach((k, i) => inc.add(i, k));
        assert.deepEqual(canonicalPartition(inc.caseOf), canonicalPartition(batchClusters(keys, cap)));
      }),
    );
  });
});
