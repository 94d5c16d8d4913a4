import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { stixValidator } from '../testing/stix-schemas.ts';
import { stixPatternError, stixString } from './stix-pattern.ts';
import { CORPUS } from './redact.corpus.ts';

describe('STIX patterning grammar check', () => {
  it('accepts the grammar’s sentences', () => {
    for (const p of [
      "[url:value = 'http://a.cn/x']",
      "[x-fanzha-phone-number:value = '+8613800001111']",
      "[domain-name:value = 'a.cn'] AND [url:value LIKE '%a.cn%']",
      "([ipv4-addr:value = '1.2.3.4'] OR [ipv4-addr:value = '1.2.3.5']) FOLLOWEDBY [file:hashes.'SHA-256' = 'ab'] WITHIN 60 SECONDS",
      "[network-traffic:dst_ref.value ISSUBSET '10.0.0.0/8' AND network-traffic:dst_port NOT IN (80, 443)]",
      "[file:name MATCHES '^a\\\\.exe$'] REPEATS 3 TIMES START t'2026-01-01T00:00:00Z' STOP t'2026-02-01T00:00:00Z'",
      "[email-message:to_refs[*].value = 'a@b.cn']",
      `[url:value = ${stixString("http://a.cn/it's\\here")}]`,
    ])
      assert.equal(stixPatternError(p), null, p);
  });
  it('rejects what is not', () => {
    for (const p of [
      "url:value = 'a'",
      "[url:value = 'a'",
      "[url:value = 'it's']",
      "[url:value == 'a']",
      "[URL:value = 'a']",
      "[url:value = 'a'] AND",
      "[url:value = 'a\\x']",
      "[x--y:value = 'a']",
      "[url:value 'a']",
      '',
    ]) {
      assert.notEqual(stixPatternError(p), null, p);
    }
  });
});

const at = (d = 0) => new Date(Date.UTC(2026, 6, 15, 2 + d, 0)).toISOString();
const base = { channel: 'call', knewFields: ['name', 'items'], scriptTags: ['refund-problem'] };
const half = (s: string) => s.replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
const compact = (s: string) => half(s).replace(/[\s-]/g, '').toLowerCase();

for (const dialect of testDialects()) {
  describe(`STIX export and redaction end to end on ${dialect.name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, { areas: { reports: {} } });
    });
    after(async () => t.close());
    const submit = (body: object) =>
      t.app.inject({ method: 'POST', url: '/v1/reports', headers: t.auth('agent'), payload: { contactAt: at(), ...base, ...body } });

    it('never returns a corpus secret from the report view or the case bundle; exports are stable and valid', async () => {
      // The corpus in narratives (chunks of ~25 phrasings), and secrets in every other free field.
      const ids: string[] = [];
      let caseId = '';
      for (let i = 0; i < CORPUS.length; i += 25) {
        const chunk = CORPUS.slice(i, i + 25);
        const urls = chunk.flatMap((e) => e.text.match(/https?:\/\/[^\s，。]+/g) ?? []).slice(0, 5);
        const r = await submit({
          callerNumbers: ['+86 171 0000 5555'],
          smsSender: '【京东客服】',
          urls: [...urls, 'https://jd-kefu-refund.cn/claim?mobile=13912345678&from=sms'],
          narrative: chunk.map((e) => e.text).join('\n'),
          claimedIdentity: chunk[0]!.text.slice(0, 200),
          payments: [
            {
              amount: 100,
              method: 'bank-transfer',
              payeeAccount: '6217 0000 1111 2222 333',
              payeeName: chunk[1]!.text.slice(0, 200),
              txnRef: chunk[2]!.text.slice(0, 64),
              institution: chunk[3]!.text.slice(0, 100),
            },
          ],
        });
        assert.equal(r.statusCode, 201, r.body);
        ids.push(r.json().reportId);
        caseId = r.json().caseId;
      }
      // Secrets of six characters or more cannot turn up by chance in ids and times; the short ones
      // (CVVs, 4-digit codes) are checked phrase by phrase in redact.test.ts.
      const secrets = [...new Set(CORPUS.map((e) => e.secret.toLowerCase()).filter((s) => s.length >= 6)), '13912345678'];
      for (const id of ids) {
        const view = (await t.app.inject({ url: `/v1/reports/${id}`, headers: t.auth('analyst') })).body;
        for (const s of secrets) assert.ok(!compact(view).includes(s) && !half(view).toLowerCase().includes(s), `report view carries ${s}`);
      }
      const one = await t.app.inject({ url: `/v1/cases/${caseId}/stix`, headers: t.auth('analyst') });
      const two = await t.app.inject({ url: `/v1/cases/${caseId}/stix`, headers: t.auth('analyst') });
      for (const s of secrets) assert.ok(!compact(one.body).includes(s), `bundle carries ${s}`);
      const b1 = one.json();
      const b2 = two.json();
      assert.notEqual(b1.id, b2.id);
      assert.equal(one.body.replace(b1.id, ''), two.body.replace(b2.id, ''), 'two exports of an unchanged case are byte-identical apart from the bundle id');

      assert.deepEqual(stixValidator().errors(b1), []);
      const byType = (ty: string) => b1.objects.filter((o: { type: string }) => o.type === ty);
      const indicators = byType('indicator');
      for (const i of indicators) assert.equal(stixPatternError(i.pattern), null, i.pattern);
      const patterns = indicators.map((i: { pattern: string }) => i.pattern);
      for (const want of [
        "[x-fanzha-phone-number:value = '+8617100005555']",
        "[x-fanzha-sms-sender:value = '京东客服']",
        "[domain-name:value = 'jd-kefu-refund.cn']",
        "[url:value = 'https://jd-kefu-refund.cn/claim?from=sms']",
        "[x-fanzha-bank-account:account_number = '6217000011112222333']",
      ]) {
        assert.ok(patterns.includes(want), `${want} in ${patterns.join(' | ')}`);
      }
      const report = byType('report')[0];
      const campaign = byType('campaign')[0];
      for (const i of indicators) {
        const rels = byType('relationship').filter((r: { source_ref: string }) => r.source_ref === i.id);
        assert.ok(rels.some((r: { relationship_type: string; target_ref: string }) => r.relationship_type === 'indicates' && r.target_ref === campaign.id));
        assert.ok(
          rels.some(
            (r: { relationship_type: string; target_ref: string }) =>
              r.relationship_type === 'related-to' &&
              b1.objects.some(
                (o: { id: string; type: string }) =>
                  (o.id === r.target_ref && o.type.startsWith('x-')) || (o.id === r.target_ref && ['url', 'domain-name'].includes(o.type)),
              ),
          ),
        );
        assert.ok(report.object_refs.includes(i.id));
      }

      // created stays, modified moves when the case changes.
      const before = { report: report.modified, indicator: indicators[0].created };
      await new Promise((r) => setTimeout(r, 5));
      await submit({ callerNumbers: ['+86 171 0000 5555'] });
      const b3 = (await t.app.inject({ url: `/v1/cases/${caseId}/stix`, headers: t.auth('analyst') })).json();
      const r3 = b3.objects.find((o: { type: string }) => o.type === 'report');
      assert.equal(r3.created, report.created);
      assert.ok(r3.modified > before.report, 'the report object changed, so did modified');
      assert.equal(b3.objects.find((o: { id: string }) => o.id === indicators[0].id).created, before.indicator);

      // The extension-definition's schema is served where it says, without a key, and accepts our observables.
      const ext = byType('extension-definition')[0];
      const url = new URL(ext.schema);
      const res = await t.app.inject({ url: url.pathname });
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /schema\+json/);
      const validate = stixValidator().ajv.compile(res.json());
      for (const o of b1.objects.filter((x: { type: string }) => x.type.startsWith('x-fanzha-')))
        assert.ok(validate(o), `${o.type}: ${JSON.stringify(validate.errors)}`);
    });
  });
}
