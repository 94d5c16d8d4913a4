import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { redact, REDACTED } from './redact.ts';
import { foldChar } from './redact-scan.ts';
import { scrubUrl } from './url-scrub.ts';
import { CORPUS, CLEAN } from './redact.corpus.ts';

// full-width digits and Chinese digit numerals back to ASCII: a secret must not hide in either
const half = (s: string) =>
  [...s.replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))].map((c) => String.fromCharCode(foldChar(c.charCodeAt(0)))).join('');
/** The output's digits and letters with separators removed: a secret must not hide in it. */
const compact = (s: string) => half(s).replace(/[\s-]/g, '').toLowerCase();

describe('redaction corpus', () => {
  it(`has at least 200 phrasings in Chinese and English`, () => {
    assert.ok(CORPUS.length >= 200, String(CORPUS.length));
    assert.ok(CORPUS.some((e) => /[\u4e00-\u9fff]/.test(e.text)) && CORPUS.some((e) => /^[\x20-\x7e]+$/.test(e.text)));
  });
  for (const e of CORPUS) {
    it(`removes the secret from: ${e.text}`, () => {
      const out = redact(e.text).text;
      assert.ok(!compact(out).includes(e.secret.toLowerCase()), out);
      for (const k of e.keep) assert.ok(out.includes(k), `kept ${k}: ${out}`);
    });
  }
  it('keeps text without secrets exactly as typed (Chinese punctuation included)', () => {
    for (const c of CLEAN) assert.equal(redact(c).text, c);
  });
  it('keeps personal-data-free links and removes the personal parts of others', () => {
    assert.equal(scrubUrl('https://jd-refund.cn/login?from=sms&step=2'), 'https://jd-refund.cn/login?from=sms&step=2');
    assert.equal(scrubUrl('https://jd-refund.cn/r?id=13812345678'), 'https://jd-refund.cn/r');
    assert.equal(scrubUrl('https://x.cn/a/13812345678/b?u=a%40b.cn&k=1#tel=13812345678'), 'https://x.cn/a/_/b?k=1');
  });
});

// Property tests: secrets generated in random writings inside random text.
const cjk = fc.constantFrom('他', '说', '退', '款', '客', '服', '我', '的', '，', '。', '：', '让', '报', '了', ' ');
const filler = fc.array(cjk, { maxLength: 12 }).map((a) => a.join(''));
const digit = fc.integer({ min: 0, max: 9 }).map(String);
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((a) => a.join(''));
const fullWidth = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

/** A card number (13–19 digits, not phone-shaped) written in groups of 4 with a chosen separator, maybe full-width. */
const cardWriting = fc.tuple(fc.integer({ min: 13, max: 19 }), fc.constantFrom(' ', '-', '', '  '), fc.boolean()).chain(([n, sep, wide]) =>
  digits(n - 1).map((rest) => {
    const d = '6' + rest;
    const grouped = d.match(/.{1,4}/g)!.join(sep);
    return { secret: d, text: wide ? fullWidth(grouped) : grouped };
  }),
);

describe('redaction properties', () => {
  it('a card number in any grouping, full-width or not, never survives', () => {
    fc.assert(
      fc.property(filler, cardWriting, filler, (a, c, b) => {
        const out = redact(`${a}卡号${c.text}${b}`).text;
        return !compact(out).includes(c.secret);
      }),
      { numRuns: 400 },
    );
  });
  it('a code after any code word, in any spacing, never survives', () => {
    fc.assert(
      fc.property(
        filler,
        fc.constantFrom('验证码', '短信里的数字是', '动态码', '校验码', 'code', 'OTP', 'verification code'),
        fc.integer({ min: 4, max: 8 }).chain(digits),
        fc.constantFrom('', ' ', '：', ' is '),
        (a, word, code, glue) => {
          const spaced = code.length <= 6 && code.charCodeAt(0) % 2 ? code.split('').join(' ') : code;
          const out = redact(`${a}${word}${glue}${spaced}。`).text;
          return !compact(out).includes(code);
        },
      ),
      { numRuns: 400 },
    );
  });
  it('is idempotent and leaves digit-free text unchanged', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => redact(redact(s).text).text === redact(s).text),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.array(cjk, { maxLength: 80 }).map((a) => a.join('')),
        (s) => redact(s).text === s,
      ),
      { numRuns: 300 },
    );
  });
  it('keeps the markers of an earlier pass as they are: their words are not keywords, nothing pairs across them', () => {
    // found by the property above (seed 87782993): "PWd#*0" redacted twice lost "removed]" to a second password
    const once = redact('PWd#*0').text;
    assert.equal(once, `PWd${REDACTED.password}`);
    assert.equal(redact(once).text, once);
    // a code word inside a marker must not take the next number ("code" in the code marker)
    const twice = `验证码 ${REDACTED.code} 和 654321`;
    assert.equal(redact(twice).text, twice);
    for (const m of Object.values(REDACTED)) assert.equal(redact(m).text, m);
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constantFrom(
              'password',
              'pwd',
              '密码',
              '验证码',
              'code',
              'CVV',
              '有效期',
              ' ',
              '：',
              '#*0',
              'ab12',
              '483920',
              '6222021234567890123',
              ...Object.values(REDACTED),
            ),
            fc.string({ maxLength: 6 }),
          ),
          { maxLength: 30 },
        ),
        (parts) => {
          const once = redact(parts.join('')).text;
          return redact(once).text === once;
        },
      ),
      { numRuns: 1000 },
    );
  });
  it('work is linear in the input: steps per character stay under a fixed bound for any text', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 400, unit: fc.constantFrom('1', ' ', '-', '验', '证', '码', 'c', 'o', 'd', 'e', '密', 'x', '/', 'h', 't', 'p', ':', '?', '=') }),
        (s) => {
          const st = { steps: 0 };
          redact(s, st);
          return st.steps <= 40 * (s.length + 1);
        },
      ),
      { numRuns: 300 },
    );
  });
  it('pathological 1 MB inputs cost the same steps per character as ordinary text', () => {
    const MB = 1 << 20;
    const inputs = {
      ordinary: '他说是京东客服，要给我退款。'.repeat(MB / 14),
      digitsAndSpaces: '1 '.repeat(MB / 2),
      groups: '6222 '.repeat(MB / 5),
      codeWords: '验证码'.repeat(MB / 3),
      codeWordsAndDigits: '验证码 1 '.repeat(MB / 7),
      passwords: '密码'.repeat(MB / 2),
      oneLongUrl: 'http://a.cn/' + 'a'.repeat(MB),
      urls: 'http://'.repeat(MB / 7),
      expiry: '有效期 1/'.repeat(MB / 6),
    };
    const perChar: Record<string, number> = {};
    for (const [name, s] of Object.entries(inputs)) {
      const st = { steps: 0 };
      redact(s, st);
      perChar[name] = st.steps / s.length;
    }
    for (const [name, r] of Object.entries(perChar)) assert.ok(r <= 40, `${name}: ${r.toFixed(1)} steps per character`);
  });
});
