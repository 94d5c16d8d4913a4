import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { stixValidator } from '../testing/stix-schemas.ts';

/** Normal approximation of the Mann–Whitney U statistic (ties get average ranks). */
function mannWhitneyZ(a: number[], b: number[]): number {
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  const ranks = new Array(all.length);
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++;
    for (let k = i; k <= j; k++) ranks[k] = (i + j) / 2 + 1;
    i = j + 1;
  }
  const r1 = all.reduce((s, x, i) => s + (x.g === 0 ? ranks[i] : 0), 0);
  const n1 = a.length;
  const n2 = b.length;
  const u = r1 - (n1 * (n1 + 1)) / 2;
  return (u - (n1 * n2) / 2) / Math.sqrt((n1 * n2 * (n1 + n2 + 1)) / 12);
}

const at = (d = 0) => new Date(Date.UTC(2026, 6, 15, 2 + d, 0)).toISOString();
const report = (extra: Record<string, unknown> = {}) => ({
  contactAt: at(),
  channel: 'call',
  knewFields: ['name', 'items', 'refund'],
  scriptTags: ['refund-problem'],
  ...extra,
});
const pay = (account: string, amount = 5000, extra: Record<string, unknown> = {}) => ({
  amount,
  method: 'bank-transfer',
  payeeAccount: account,
  payeeName: '深圳市某某科技有限公司',
  ...extra,
});

for (const dialect of testDialects()) {
  describe(`reports and cases on ${dialect.name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, { areas: { reports: { checkMinLatencyMs: 20, publicRateLimit: { max: 8, timeWindow: '1 minute' } } } });
    });
    after(async () => t.close());
    const submit = (body: unknown, role: 'agent' | 'ingest' | null = 'agent', ip = '10.0.0.1') =>
      t.app.inject({ method: 'POST', url: '/v1/reports', headers: role ? t.auth(role) : {}, payload: body as object, remoteAddress: ip });

    it('links reports sharing a payee account into one case; the official hotline links nothing', async () => {
      const wl = await t.app.inject({
        method: 'POST',
        url: '/v1/warning-list',
        headers: t.auth('admin'),
        payload: { kind: 'phone', value: '400-820-8820', label: '官方客服' },
      });
      assert.equal(wl.statusCode, 201, wl.body);
      const a = (await submit(report({ callerNumbers: ['400 820 8820'], payments: [pay('6222 0212 3456 7890 128', 47200)] }))).json();
      const b = (await submit(report({ callerNumbers: ['４００８２０８８２０', '17012345678'], payments: [pay('6222-0212-3456-7890-128', 3400)] }))).json();
      const c = (await submit(report({ callerNumbers: ['+86 400 820 8820'] }))).json();
      assert.equal(a.caseId, b.caseId, 'shared payee account → one case');
      assert.notEqual(c.caseId, a.caseId, 'the official hotline links nothing');
      const d = (await submit(report({ callerNumbers: ['170 1234 5678'] }))).json();
      assert.equal(d.caseId, a.caseId, 'a phone from the same case links too');
      const stats = (await t.app.inject({ url: `/v1/cases/${a.caseId}`, headers: t.auth('analyst') })).json();
      assert.equal(stats.reports, 3);
      assert.equal(stats.loss.total, 50600);
      assert.equal(stats.loss.max, 47200);
      assert.equal(stats.topPayees[0].payee, '深圳市某某科技有限公司');
      assert.equal(stats.topPayees[0].amount, 50600);
      const overview = (await t.app.inject({ url: '/v1/stats/reports', headers: t.auth('analyst') })).json();
      assert.equal(overview.reports, 4);
      assert.equal(overview.casesWithSeveralReports, 1);
      assert.deepEqual(overview.lossByCurrency, [{ currency: 'CNY', total: 50600 }]);
      assert.equal(overview.topPayees[0].amount, 50600);
      assert.ok(!overview.topIndicators.some((i: { value: string }) => i.value.includes('4008208820')), 'official values never counted');
      const risk = (await t.app.inject({ url: '/v1/indicators/risk?kind=phone&value=4008208820', headers: t.auth('analyst') })).json();
      assert.equal(risk.official, true);
      assert.equal(risk.tier, 'none');
    });

    it('merges cases when a report connects them and records the merge', async () => {
      const x = (await submit(report({ urls: ['http://merge-a.example.cn/x'] }))).json();
      const y = (await submit(report({ urls: ['merge-b.example.net'] }))).json();
      assert.notEqual(x.caseId, y.caseId);
      const z = (await submit(report({ urls: ['HTTP://MERGE-A.example.cn/other', 'https://merge-b.example.net/'] }))).json();
      const stats = (await t.app.inject({ url: `/v1/cases/${z.caseId}`, headers: t.auth('analyst') })).json();
      assert.equal(stats.reports, 3);
      assert.equal(stats.merges.length, 1);
      const listed = (await t.app.inject({ url: `/v1/cases/${x.caseId}/reports`, headers: t.auth('analyst') })).json();
      assert.deepEqual(listed.map((r: { id: string }) => r.id).sort(), [x.reportId, y.reportId, z.reportId].sort());
      const old = [x.caseId, y.caseId].find((id) => id !== z.caseId);
      assert.equal((await t.app.inject({ url: `/v1/cases/${old}`, headers: t.auth('analyst') })).json().id, z.caseId, 'a merged case id answers for its root');
    });

    it('splits the cases a processor value joined once it is shown over-correlated, and records the split', async () => {
      const mid = (spelling: string) => ({ amount: 10, method: 'alipay', merchantId: spelling });
      const caseOf = async (id: string) => (await t.app.inject({ url: `/v1/reports/${id}`, headers: t.auth('analyst') })).json().caseId as string;
      // Four rings of two reports, each ring with its own phone; one report of each also names the
      // processor's merchant id. When the fourth ring is corroborated, the merchant id bridges four
      // groups while carried by half their reports: over-correlated (hindsight.ts).
      const rings = ['13300001111', '13300002222', '13300003333', '13300004444'];
      const first: string[] = [];
      const second: string[] = [];
      for (const [i, phone] of rings.entries()) {
        first.push(
          (
            await submit(
              report({
                callerNumbers: [phone],
                payments: [mid(['2088 1021 7788 9901', '2088-1021-7788-9901', '208810217788 9901', '２０８８１０２１７７８８９９０１'][i]!)],
              }),
            )
          ).json().reportId,
        );
        second.push((await submit(report({ callerNumbers: [phone.replace(/^133/, '+86 133 ')] }))).json().reportId);
      }
      const cases = await Promise.all(first.map(caseOf));
      assert.equal(new Set(cases).size, 4, `the merchant id no longer joins the rings: ${cases}`);
      for (let i = 0; i < 4; i++) assert.equal(await caseOf(second[i]!), cases[i], 'each ring stays whole');
      // History: the case that kept its id records what split off, through which value and why.
      const all = await Promise.all(cases.map(async (c) => (await t.app.inject({ url: `/v1/cases/${c}`, headers: t.auth('analyst') })).json()));
      const kept = all.find((s) => s.splitFrom === null && s.splits.length)!;
      assert.ok(kept, JSON.stringify(all.map((s) => [s.id, s.splitFrom, s.splits.length])));
      assert.equal(kept.splits.length, 3);
      for (const sp of kept.splits) {
        assert.equal(sp.via, 'merchant_id');
        assert.equal(sp.viaValue, '2088102177889901');
        assert.equal(sp.reason, 'bridge');
        assert.equal(sp.from, kept.id);
      }
      for (const s of all.filter((x) => x.id !== kept.id)) assert.equal(s.splitFrom, kept.id, 'split-off cases name where they came from');
      assert.equal(new Set(all.map((s) => s.reports)).size <= 2, true);
      const view = (await t.app.inject({ url: `/v1/reports/${first[0]}`, headers: t.auth('analyst') })).json();
      const ind = view.indicators.find((i: { kind: string }) => i.kind === 'merchant_id');
      assert.equal(ind.unlinkedReason, 'bridge');
      assert.equal(ind.linked, false);
      // A later report with the merchant id joins nothing through it; the feed does not carry it.
      const later = (await submit(report({ payments: [mid('2088102177889901')] }))).json();
      assert.ok(!cases.includes(later.caseId));
      const feed = (await t.app.inject({ url: '/v1/feeds/payees?format=json&minTier=possible', headers: t.auth('analyst') })).json();
      assert.ok(!feed.items.some((x: { value: string }) => x.value === '2088102177889901'));
    });

    it('never links on a payment institution named as payee (built-in list and admin additions)', async () => {
      const a = (await submit(report({ payments: [pay('6222 7777 0000 1111', 100, { payeeName: '支付宝（中国）网络技术有限公司' })] }))).json();
      const b = (await submit(report({ payments: [{ amount: 100, method: 'alipay', payeeName: '支付宝 (中国) 网络技术有限公司' }] }))).json();
      const c = (await submit(report({ payments: [{ amount: 100, method: 'alipay', payeeName: 'Alipay.com Co., Ltd' }] }))).json();
      assert.equal(new Set([a.caseId, b.caseId, c.caseId]).size, 3);
      const wl = await t.app.inject({
        method: 'POST',
        url: '/v1/warning-list',
        headers: t.auth('admin'),
        payload: { kind: 'institution', value: '某某聚合支付有限公司' },
      });
      assert.equal(wl.statusCode, 201, wl.body);
      const d = (await submit(report({ payments: [{ amount: 1, method: 'alipay', payeeName: '某某聚合支付有限公司' }] }))).json();
      const e = (await submit(report({ payments: [{ amount: 1, method: 'alipay', payeeName: '某某聚合支付有限公司' }] }))).json();
      assert.notEqual(d.caseId, e.caseId);
      const f = (await submit(report({ payments: [{ amount: 1, method: 'alipay', payeeName: '杭州鑫源商贸有限公司' }] }))).json();
      const g = (await submit(report({ payments: [{ amount: 1, method: 'alipay', payeeName: '杭州鑫源商贸有限公司' }] }))).json();
      assert.equal(f.caseId, g.caseId, 'a shell company still links');
    });

    it('redacts card and ID numbers, passwords and codes before storage', async () => {
      const r = (
        await submit(
          report({
            narrative: '他让我报卡号6222 0212 3456 7890 128和身份证11010519491231002X，验证码483920，密码是abc12345',
            claimedIdentity: '客服 工号 4111111111111111',
          }),
        )
      ).json();
      const view = (await t.app.inject({ url: `/v1/reports/${r.reportId}`, headers: t.auth('analyst') })).json();
      for (const secret of ['6222', '11010519491231002X', '483920', 'abc12345', '4111111111111111']) {
        assert.ok(!JSON.stringify(view).includes(secret), secret);
        const row = await t.database.db.selectFrom('reports').select('details').where('id', '=', r.reportId).executeTakeFirstOrThrow();
        assert.ok(!row.details.includes(secret), `stored: ${secret}`);
      }
      assert.ok(!t.logs().includes('11010519491231002X'));
    });

    it('public reports get only a reference, hash order ids, never reveal existence, and are rate-limited', async () => {
      await t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: t.auth('ingest'),
        payload: [
          {
            id: 'ev-o-1',
            type: 'order.placed',
            at: at(-30),
            orderId: 'ORD-1',
            customerId: 'c1',
            items: [{ sku: 'A', title: '净化器', price: 1999, quantity: 1 }],
            total: 1999,
          },
        ],
      });
      const known = await submit(report({ orderIds: ['ORD-1'] }), null, '10.9.9.9');
      const unknown = await submit(report({ orderIds: ['ORD-NOPE'] }), null, '10.9.9.9');
      assert.equal(known.statusCode, 201);
      assert.deepEqual(Object.keys(known.json()).sort(), ['message', 'reference']);
      assert.deepEqual(Object.keys(unknown.json()).sort(), Object.keys(known.json()).sort());
      assert.equal(known.json().message, unknown.json().message);
      const rows = await t.database.db.selectFrom('report_orders').selectAll().where('order_id', 'is', null).execute();
      assert.ok(rows.length >= 2 && rows.every((r) => !r.order_bidx.includes('ORD')));
      // The anonymous order reference resolves to a victim by HMAC matching.
      const reps = await t.database.db.selectFrom('reports').select('id').where('ref', '=', known.json().reference).execute();
      const victims = await t.ctx.services.victimSource!.victimsForReports([reps[0]!.id]);
      assert.deepEqual(
        victims.map((v) => [v.orderId, v.customerId]),
        [['ORD-1', 'c1']],
      );
      let last = 0;
      for (let i = 0; i < 10; i++) last = (await submit(report(), null, '10.7.7.7')).statusCode;
      assert.equal(last, 429);
      const limited = await submit(report(), null, '10.7.7.7');
      assert.equal(limited.headers['content-type'], 'application/problem+json; charset=utf-8');
    });

    it('signed-in customers reporting their own order are verified; ingest gets the ids; resubmission is idempotent', async () => {
      const body = report({ customerId: 'c1', orderIds: ['ORD-1'], clientId: 'app-report-77' });
      const r1 = await submit(body, 'ingest');
      const r2 = await submit(body, 'ingest');
      assert.equal(r1.statusCode, 201);
      assert.equal(r2.statusCode, 200);
      assert.equal(r1.json().reportId, r2.json().reportId);
      assert.equal(r1.json().trust, 'verified-order-owner');
      const v = (await t.app.inject({ url: `/v1/cases/${r1.json().caseId}/victims`, headers: t.auth('analyst') })).json();
      assert.deepEqual(
        v.map((x: { customerId: string; orderId: string }) => [x.customerId, x.orderId]),
        [['c1', 'ORD-1']],
      );
    });

    it('answers every malformed field with 400 problem+json and stores nothing', async () => {
      const before = await t.database.db
        .selectFrom('reports')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const bad: Record<string, unknown>[] = [
        { contactAt: 'yesterday' },
        { contactAt: '2026-07-15T10:00:00' },
        { channel: 'pigeon' },
        { callerNumbers: ['not a phone'] },
        { callerNumbers: 'x' },
        { smsSender: '' },
        { knewFields: ['password'] },
        { scriptTags: ['x'] },
        { orderIds: ['has space'] },
        { urls: ['javascript:alert(1)'] },
        { apps: [''] },
        { socialAccounts: [{ platform: 'myspace', handle: 'x' }] },
        { payments: [{ amount: -1, method: 'alipay' }] },
        { payments: [{ amount: 1, method: 'barter' }] },
        { payments: [{ amount: 1, method: 'alipay', payeeAccount: '11010519491231002X' }] },
        { payments: [{ amount: 1, method: 'alipay', currency: 'yuan' }] },
        { payments: [{ amount: 1, method: 'alipay', paidAt: 'soon' }] },
        { exposed: ['card-number-1234'] },
        { narrative: 'x'.repeat(5001) },
        { evidence: [{ contentType: 'image/png', dataBase64: Buffer.from('not a png').toString('base64') }] },
        { evidence: [{ contentType: 'application/x-msdownload', dataBase64: 'TVqQAAMAAAAEAAAA' }] },
        { unexpected: 1 },
      ];
      for (const patch of bad) {
        const r = await submit(report(patch));
        assert.equal(r.statusCode, 400, JSON.stringify(patch).slice(0, 80));
        assert.equal(r.headers['content-type'], 'application/problem+json; charset=utf-8');
        assert.match(r.json().type, /problems\/(validation|bad-request)$/);
      }
      const after = await t.database.db
        .selectFrom('reports')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(after.n), Number(before.n));
    });

    it('stores evidence with its SHA-256', async () => {
      const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('fake image body')]);
      const r = (await submit(report({ evidence: [{ contentType: 'image/png', dataBase64: png.toString('base64') }] }))).json();
      const view = (await t.app.inject({ url: `/v1/reports/${r.reportId}`, headers: t.auth('analyst') })).json();
      const { createHash } = await import('node:crypto');
      assert.equal(view.evidence[0].sha256, createHash('sha256').update(png).digest('hex'));
      const file = await t.app.inject({ url: `/v1/reports/${r.reportId}/evidence/${view.evidence[0].id}`, headers: t.auth('analyst') });
      assert.equal(file.statusCode, 200);
      assert.equal(file.headers['content-type'], 'image/png');
      assert.deepEqual(file.rawPayload, png);
    });

    it('redacts a text evidence file before it is hashed and stored', async () => {
      const text = '【银行】您的验证码为 483920，请勿告诉他人。\n他又让我报卡号 6222 0212 3456 7890 128 和卡背后三位 八五二。';
      const r = (await submit(report({ evidence: [{ contentType: 'text/plain', dataBase64: Buffer.from(text, 'utf8').toString('base64') }] }))).json();
      const view = (await t.app.inject({ url: `/v1/reports/${r.reportId}`, headers: t.auth('analyst') })).json();
      const file = await t.app.inject({ url: `/v1/reports/${r.reportId}/evidence/${view.evidence[0].id}`, headers: t.auth('analyst') });
      assert.equal(file.statusCode, 200);
      const stored = file.rawPayload.toString('utf8');
      for (const secret of ['483920', '6222', '7890 128', '八五二']) assert.ok(!stored.includes(secret), stored);
      assert.ok(stored.startsWith('【银行】您的验证码为 ') && stored.includes('，请勿告诉他人。\n'), 'the rest is kept as typed');
      const { createHash } = await import('node:crypto');
      assert.equal(view.evidence[0].sha256, createHash('sha256').update(file.rawPayload).digest('hex'), 'the hash is of what is stored');
      // nothing under the data directory holds the secrets either
      const { readdirSync, readFileSync, statSync } = await import('node:fs');
      const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(`${d}/${n}`).isDirectory() ? walk(`${d}/${n}`) : [`${d}/${n}`]));
      const files = walk(t.ctx.config.dataDir).filter((f) => f.includes('/evidence/'));
      assert.ok(files.length > 0);
      for (const f of files) assert.ok(!readFileSync(f).includes('483920'), f);
    });

    it('feeds phones, domains and payees as text and JSON with ETag', async () => {
      const j = await t.app.inject({ url: '/v1/feeds/payees?minTier=possible', headers: t.auth('ingest') });
      assert.equal(j.statusCode, 200);
      assert.ok(j.json().items.some((i: { value: string }) => i.value === '6222021234567890128'));
      const again = await t.app.inject({
        url: '/v1/feeds/payees?minTier=possible',
        headers: { ...t.auth('ingest'), 'if-none-match': j.headers.etag as string },
      });
      assert.equal(again.statusCode, 304);
      const txt = await t.app.inject({ url: '/v1/feeds/phones?format=text&minTier=possible', headers: t.auth('analyst') });
      assert.match(txt.body, /\+8617012345678/);
      assert.doesNotMatch(txt.body, /4008208820/, 'official hotline never in a feed');
      const dom = await t.app.inject({ url: '/v1/feeds/domains?format=text&minTier=possible', headers: t.auth('analyst') });
      assert.match(dom.body, /example\.cn/);
    });

    it('checks links: official, reported, look-alike, unknown', async () => {
      await t.app.inject({ method: 'POST', url: '/v1/warning-list', headers: t.auth('admin'), payload: { kind: 'domain', value: 'fanzha-shop.com' } });
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1/links/check',
        payload: {
          urls: ['https://www.fanzha-shop.com/orders', 'http://merge-a.example.cn/', 'fanzha-shop-tuikuan.cn', 'https://weather.example.org', '::::'],
        },
      });
      assert.equal(r.statusCode, 200, r.body);
      const v = r.json().results;
      assert.deepEqual(
        v.map((x: { verdict: string }) => x.verdict),
        ['official', 'reported', 'lookalike', 'unknown', 'invalid'],
      );
      assert.deepEqual(v[2].lookalike, { brand: 'fanzha-shop.com', technique: 'pinyin' });
      assert.equal(v[1].cases, undefined, 'public callers see no case ids');
      const staff = await t.app.inject({
        method: 'POST',
        url: '/v1/links/check',
        headers: t.auth('analyst'),
        payload: { urls: ['http://merge-a.example.cn/'] },
      });
      assert.equal(staff.json().results[0].cases.length, 1);
      const batch = await t.app.inject({ method: 'POST', url: '/v1/links/check', payload: { urls: Array.from({ length: 101 }, (_, i) => `x${i}.com`) } });
      assert.equal(batch.statusCode, 400, 'batch limit');
      let status = 0;
      for (let i = 0; i < 70 && status !== 429; i++)
        status = (await t.app.inject({ method: 'POST', url: '/v1/links/check', payload: { urls: ['a.com'] }, remoteAddress: '10.3.3.3' })).statusCode;
      assert.equal(status, 429, 'public link checks are rate-limited per IP');
    });

    it('public checker: same shape for a customer phone and a stranger, official answer, risk tier, timing', async () => {
      await t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: t.auth('ingest'),
        payload: [{ id: 'ev-c-9', type: 'customer.upserted', at: at(-40), customerId: 'c9', name: '刘小明', phone: '13900001111' }],
      });
      const q = (s: string, ip = '10.5.5.5') => t.app.inject({ url: `/v1/check?${s}`, remoteAddress: ip });
      const customer = (await q('phone=13900001111')).json();
      const stranger = (await q('phone=13900002222')).json();
      assert.deepEqual(customer, stranger);
      assert.deepEqual(Object.keys(customer).sort(), ['advice', 'kind', 'official', 'officialLabel', 'risk']);
      const official = (await q('phone=4008208820')).json();
      assert.equal(official.official, true);
      assert.equal(official.officialLabel, '官方客服');
      assert.equal((await q('phone=17012345678')).json().risk, 'suspected'); // two anonymous reports
      assert.equal((await q('domain=fanzha-shop.com')).json().official, true);
      assert.equal((await q('phone=1&domain=x.com')).statusCode, 400);
      // Timing: interleaved calls for a customer's phone and a stranger's; a two-sided Mann–Whitney
      // U test must not separate the two samples (|z| < 3.29, p > 0.001).
      const a: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < 40; i++) {
        for (const [arr, n] of (i % 2
          ? [
              [a, '13900001111'],
              [b, '13900002222'],
            ]
          : [
              [b, '13900002222'],
              [a, '13900001111'],
            ]) as [number[], string][]) {
          const s = performance.now();
          await q(`phone=${n}`, `10.6.${i}.1`);
          arr.push(performance.now() - s);
        }
      }
      assert.ok(Math.abs(mannWhitneyZ(a, b)) < 3.29, `timing separates inputs: z=${mannWhitneyZ(a, b).toFixed(2)}`);
      assert.ok(!t.logs().includes('13900001111') && !t.logs().includes('13900002222'), 'queried numbers never logged');
      let status = 0;
      for (let i = 0; i < 30 && status !== 429; i++) status = (await q('phone=13900002222', '10.4.4.4')).statusCode;
      assert.equal(status, 429);
    });

    it('exports CSV, a printable case file and a STIX 2.1 bundle that validates against the official schemas', async () => {
      const cases = (await t.app.inject({ url: '/v1/cases?minReports=2', headers: t.auth('analyst') })).json();
      assert.ok(cases.items.length >= 2 && cases.total === cases.items.length);
      const top = (await t.app.inject({ url: '/v1/indicators/risk?kind=payee_account&value=6222021234567890128', headers: t.auth('analyst') })).json().cases[0];
      const csv = await t.app.inject({ url: '/v1/exports/reports.csv', headers: t.auth('analyst') });
      assert.match(csv.body, /report_id,reference,case_id/);
      assert.match((await t.app.inject({ url: '/v1/exports/cases.csv', headers: t.auth('admin') })).body, new RegExp(top));
      const file = await t.app.inject({ url: `/v1/cases/${top}/casefile`, headers: t.auth('analyst') });
      assert.match(file.body, /Money path/);
      assert.match(file.body, /深圳市某某科技有限公司/);
      // the shop's time zone (default Asia/Shanghai) with the offset, never bare UTC instants
      assert.match(file.body, /All times in Asia\/Shanghai, UTC\+08:00/);
      assert.match(file.body, /\| \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+08:00 \|/);
      assert.doesNotMatch(file.body, /\d\d:\d\d:\d\d(\.\d+)?Z/);
      const bundle = (await t.app.inject({ url: `/v1/cases/${top}/stix`, headers: t.auth('analyst') })).json();
      const types = new Set(bundle.objects.map((o: { type: string }) => o.type));
      for (const ty of ['report', 'marking-definition', 'extension-definition', 'x-fanzha-bank-account', 'x-fanzha-phone-number']) assert.ok(types.has(ty), ty);
      assert.deepEqual(stixValidator().errors(bundle), []);
    });
  });
}
