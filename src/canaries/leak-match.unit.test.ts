import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { extractLeak, extractFromText } from './leak-match.extract.ts';
import { hypergeomUpperTail, logGamma } from './leak-match.stats.ts';
import { renderExport } from './exports.render.ts';
import { FIELD_BIT } from '../lib/fields.ts';
import { isToken, newToken } from './exports.tokens.ts';

function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

describe('leak file extraction', () => {
  it('recognises mainland mobiles in every common spelling', () => {
    const spellings = [
      '13812345678',
      '+8613812345678',
      '+86 138 1234 5678',
      '0086-138-1234-5678',
      '86 13812345678',
      '(+86) 138-1234-5678',
      '１３８１２３４５６７８',
      '138.1234.5678',
      '+86 138 1234 5678',
    ];
    for (const s of spellings) {
      const r = extractLeak(`张三,${s},广东省深圳市`);
      assert.deepEqual(r.records[0]?.phones, ['+8613812345678'], s);
    }
  });

  it('separates numbers glued to neighbouring digits by spaces', () => {
    assert.deepEqual(extractFromText('客户1 170-1000-0001').phones, ['+8617010000001']);
    assert.deepEqual(extractFromText('2 138 1234 5678 3').phones, ['+8613812345678']);
  });

  it('does not take dates, amounts or order numbers for phones', () => {
    const r = extractFromText('2026-07-14 10:21:00\t1999.00\t2026071412345678901\t订单 20260714');
    assert.deepEqual(r.phones, []);
    assert.ok(r.orderNos.includes('2026071412345678901'));
  });

  it('reads CSV, TSV, JSON lines, JSON arrays and pasted text record by record', () => {
    const csv = 'name,phone,email\n王芳,13912345678,WF@Example.com\n"李,雷",139-8765-4321,\n';
    const e1 = extractLeak(csv);
    assert.equal(e1.format, 'csv');
    assert.equal(e1.records.length, 2);
    assert.deepEqual(e1.records[0]!.emails, ['wf@example.com']);
    assert.deepEqual(e1.records[0]!.names, ['王芳']);
    const tsv = '姓名\t电话\n王芳\t+86 139 1234 5678\n';
    assert.deepEqual(
      extractLeak(tsv).records.map((r) => r.phones),
      [['+8613912345678']],
    );
    assert.equal(extractLeak(tsv).format, 'tsv');
    const jsonl = '{"n":"\\u738b\\u82b3","p":"13912345678"}\n{"n":"x","p":"0086 139 8765 4321"}\n';
    const e3 = extractLeak(jsonl);
    assert.equal(e3.format, 'jsonl');
    assert.deepEqual(e3.records[0]!.names, ['王芳']);
    assert.deepEqual(e3.records[1]!.phones, ['+8613987654321']);
    const arr = JSON.stringify([{ phone: '13912345678', token: 'abcd-efgh-jkmn' }]);
    const e4 = extractLeak(arr);
    assert.equal(e4.format, 'json');
    assert.deepEqual(e4.records[0]!.tokens, ['ABCD-EFGH-JKMN']);
    const text = '客户王芳 电话：139 1234 5678，另一个是 13987654321 请尽快联系';
    assert.deepEqual(extractLeak(text).records[0]!.phones.sort(), ['+8613912345678', '+8613987654321']);
  });

  it('tokens are well-formed and recognised', () => {
    for (let i = 0; i < 50; i++) assert.ok(isToken(newToken()));
    assert.ok(!isToken('ILOU-0000-0000'));
  });
});

describe('hypergeometric tail', () => {
  it('matches brute force on small populations', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        (N, K0, n0, k0) => {
          const K = K0 % (N + 1);
          const n = n0 % (N + 1);
          const k = k0 % (n + 1);
          let exact = 0;
          for (let i = k; i <= n; i++) exact += (choose(K, i) * choose(N - K, n - i)) / choose(N, n);
          const got = hypergeomUpperTail(N, K, n, k);
          assert.ok(Math.abs(got - exact) < 1e-9 * Math.max(1, exact) + 1e-12, `N=${N} K=${K} n=${n} k=${k}: ${got} vs ${exact}`);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('handles large populations without overflow', () => {
    assert.ok(Math.abs(logGamma(101) - 363.73937555556347) < 1e-9);
    const p = hypergeomUpperTail(1_000_000, 20_000, 50, 40);
    assert.ok(p > 0 && p < 1e-50);
    assert.ok(Math.abs(hypergeomUpperTail(1_000_000, 500_000, 50, 0) - 1) < 1e-12);
  });
});

describe('export rendering', () => {
  it('quotes CSV cells and neutralises spreadsheet formulas', () => {
    const r = renderExport(
      [{ name: '=HYPERLINK("x")', phone: '+8613800000000', address: '北京市,朝阳区' }],
      FIELD_BIT.name | FIELD_BIT.phone | FIELD_BIT.address,
      'csv',
    );
    assert.equal(r.content.split('\r\n')[1], `"'=HYPERLINK(""x"")",+8613800000000,"北京市,朝阳区"`);
  });
});
