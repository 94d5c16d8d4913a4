// Incidents through the API on each storage backend, with a small hand-made access log: scope
// (fields, window, canaries excluded, counts), scope edits with reasons, validation, sources
// (by hand, leak match scope), containment freezing reveals and detokenisation, the webhook when
// not configured, idempotent notices, and the CLI.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { signWebhook } from './webhook.ts';
import { renderPdf, PdfFontMissing } from './report.pdf.ts';
import { haveCommand } from '../testing/requirements.ts';

const havePoppler = haveCommand('pdftoppm', 'the PDF rendering check', 'apt-get install -y poppler-utils');

const T0 = Date.UTC(2026, 9, 1);
const iso = (ms: number) => new Date(ms).toISOString();
const H = 3_600_000;

function customer(id: string, province: string, n: number) {
  return {
    id: `c-${id}`,
    type: 'customer.upserted',
    at: iso(T0 - H),
    customerId: id,
    name: '测试',
    phone: `+86138${String(10000000 + n)}`,
    address: { province, city: '市', line: '路1号' },
    lang: n % 2 ? 'en' : 'zh-CN',
  };
}
function read(n: number, principalId: string, customerId: string, at: number, fields: string[]) {
  return { id: `r-${n}`, type: 'data.accessed', at: iso(at), principalId, customerId, fields, channel: 'console' };
}

for (const dialect of testDialects()) {
  describe(`incidents on ${dialect.name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, { logLevel: 'warn' });
      const ev: unknown[] = [];
      const provinces = ['广东省', '浙江省', '四川省'];
      for (let i = 0; i < 12; i++) ev.push(customer(`cu${String(i).padStart(2, '0')}`, provinces[i % 3]!, i));
      // agent-x reads cu00..cu07 (phone+name) within the window, cu08 only items, cu09 before the window
      for (let i = 0; i < 8; i++) ev.push(read(i, 'agent-x', `cu${String(i).padStart(2, '0')}`, T0 + i * H, ['name', 'phone']));
      ev.push(read(20, 'agent-x', 'cu08', T0 + 2 * H, ['items']));
      ev.push(read(21, 'agent-x', 'cu09', T0 - 48 * H, ['name', 'phone']));
      ev.push(read(22, 'agent-y', 'cu10', T0 + 3 * H, ['phone']));
      ev.push(read(23, 'agent-x', 'cu11', T0 + 4 * H, ['address']));
      const r = await t.ctx.services.events.ingest(ev);
      assert.equal(r.rejected.length, 0, JSON.stringify(r.rejected[0]));
      // cu07 is a canary customer (its data is fake; never notified)
      await t.database.db.updateTable('customers').set({ canary: 1 }).where('id', '=', 'cu07').execute();
    });
    after(async () => t.close());

    const post = (url: string, payload?: object, role: 'analyst' | 'admin' | 'agent' = 'analyst') =>
      t.app.inject({ method: 'POST', url, headers: t.auth(role), ...(payload ? { payload } : {}) });
    const manual = { title: 'Agent X bulk reads', principalIds: ['agent-x'], fields: ['phone', 'address'], from: iso(T0 - H), to: iso(T0 + 10 * H) };

    it('computes the scope from the access log with counts by field and province, canaries excluded', async () => {
      const r = await post('/v1/incidents', { ...manual, clientRef: 'scope-1' });
      assert.equal(r.statusCode, 201, r.body);
      const inc = r.json();
      // cu00..cu06 (cu07 is a canary), cu11 (address); not cu08 (items only), cu09 (before), cu10 (other principal)
      assert.equal(inc.affected, 8);
      assert.deepEqual(inc.counts.byField, { phone: 7, address: 1 });
      assert.deepEqual(inc.counts.byProvince, { 广东省: 3, 浙江省: 2, 四川省: 3 });
      const ids = (await t.app.inject({ method: 'GET', url: `/v1/incidents/${inc.id}/customers`, headers: t.auth('analyst') })).json().customerIds;
      assert.deepEqual(ids, ['cu00', 'cu01', 'cu02', 'cu03', 'cu04', 'cu05', 'cu06', 'cu11']);
      // the same clientRef returns it
      const again = await post('/v1/incidents', { ...manual, clientRef: 'scope-1' });
      assert.equal(again.statusCode, 200);
      assert.equal(again.json().id, inc.id);
      // edit: a reason is required and recorded
      const noReason = await t.app.inject({
        method: 'PATCH',
        url: `/v1/incidents/${inc.id}/scope`,
        headers: t.auth('analyst'),
        payload: { fields: ['items'] },
      });
      assert.equal(noReason.statusCode, 400);
      const e = await t.app.inject({
        method: 'PATCH',
        url: `/v1/incidents/${inc.id}/scope`,
        headers: t.auth('analyst'),
        payload: { fields: ['items', 'phone'], from: iso(T0 - 72 * H), reason: 'the caller also quoted items' },
      });
      assert.equal(e.statusCode, 200, e.body);
      assert.equal(e.json().affected, 9); // + cu08 (items) + cu09 (earlier) − cu11 (address no longer in scope)
      const d = (await t.app.inject({ method: 'GET', url: `/v1/incidents/${inc.id}`, headers: t.auth('admin') })).json();
      assert.equal(d.events[1].kind, 'scope_edited');
      assert.equal(d.events[1].reason, 'the caller also quoted items');
      assert.equal(d.events[1].detail.before.affected, 8);
      assert.equal(d.events[1].detail.after.affected, 9);
    });

    it('rejects incomplete or contradictory requests with a problem', async () => {
      for (const body of [
        { title: 'x' },
        { ...manual, from: iso(T0 + 20 * H) },
        { investigationId: 'inv_missing' },
        { ...manual, fields: ['ssn'] },
        { investigationId: 'a', canaryTripId: 'b' },
      ]) {
        const r = await post('/v1/incidents', body);
        assert.ok([400, 404, 422].includes(r.statusCode), `${JSON.stringify(body)} → ${r.statusCode}`);
        assert.match(String(r.headers['content-type']), /problem\+json/);
      }
      const agent = await post('/v1/incidents', manual, 'agent');
      assert.equal(agent.statusCode, 403);
      const team = await post('/v1/incidents', { leakMatch: { scope: { kind: 'team', id: 'aftersales' } } });
      assert.equal(team.statusCode, 422);
    });

    it('opens from a canary trip on a principal scope (the canary itself never in scope)', async () => {
      const { canaries } = await t.ctx.services.canaries.create({
        scope: { kind: 'principal', id: 'agent-y' },
        contacts: [{ phone: '150 0000 0177' }],
        at: T0 - 2 * H,
      });
      const alert = await t.ctx.services.canaries.trip(canaries[0]!.id, { channel: 'call', at: T0 + 5 * H });
      const r = await post('/v1/incidents', { canaryTripId: alert.trip.id });
      assert.equal(r.statusCode, 201, r.body);
      const inc = r.json();
      assert.equal(inc.source, 'canary_trip');
      assert.deepEqual(inc.principalIds, ['agent-y']);
      assert.equal(inc.affected, 1); // cu10
      assert.equal((await post('/v1/incidents', { canaryTripId: alert.trip.id })).json().id, inc.id);
    });

    it('opens from a leak match scope, contains (reveals and detokenisation frozen), notifies once', async () => {
      const r = await post('/v1/incidents', { leakMatch: { scope: { kind: 'principal', id: 'agent-x' }, at: iso(T0 + 12 * H) }, fields: ['name', 'phone'] });
      assert.equal(r.statusCode, 201, r.body);
      const inc = r.json();
      assert.equal(inc.source, 'leak_match');
      assert.equal(inc.affected, 8); // cu00..cu06 and cu09 (90-day look-back), not the canary
      const key = (await t.ctx.services.apiKeys.create({ role: 'agent', principalId: 'agent-x' })).key;
      const c = await post(`/v1/incidents/${inc.id}/contain`);
      assert.equal(c.json().containment.webhook.status, 'not_configured');
      assert.equal((await post(`/v1/incidents/${inc.id}/contain`)).json().state, 'contained'); // a re-run changes nothing
      // the vault refuses the frozen principal, whichever key it presents
      const admin = { keyId: 'k', keyName: 'k', role: 'admin' as const, principalId: 'agent-x' };
      await assert.rejects(t.ctx.services.vault.reveal(admin, 'cu00', { fields: ['phone'], purpose: 'check' }), /frozen/);
      await assert.rejects(
        t.ctx.services.vault.detokenize({ ...admin, principalId: null }, { tokens: ['tok_x'], principalId: 'agent-x', purpose: 'check' }),
        /frozen/,
      );
      assert.equal(
        (
          await t.app.inject({
            method: 'POST',
            url: '/v1/customers/cu00/reveal',
            headers: { authorization: `Bearer ${key}` },
            payload: { fields: ['phone'], purpose: 'check' },
          })
        ).statusCode,
        401,
      );
      // other principals still reveal
      await t.ctx.services.vault.reveal({ ...admin, principalId: 'agent-y' }, 'cu00', { fields: ['phone'], purpose: 'check' });

      const started = await post(`/v1/incidents/${inc.id}/notify`, undefined, 'admin');
      assert.equal(started.statusCode, 202);
      const p = await t.ctx.services.incidents.notify(inc.id, null);
      assert.equal(p.enqueued, 8);
      await t.ctx.services.incidents.notify(inc.id, null);
      const progress = (await t.app.inject({ method: 'GET', url: `/v1/incidents/${inc.id}/notify`, headers: t.auth('analyst') })).json();
      assert.equal(progress.queued + progress.sent + progress.delivered + progress.failed + progress.suppressed, 8);
      assert.deepEqual([progress.retrying, progress.retries], [0, 0]);
      // one notice waits for its third attempt, another was delivered at the third: 1 retrying, 2 + 2 retries
      const ids = (
        await t.database.db.selectFrom('notices').select('id').where('idempotency_key', 'like', `incident:${inc.id}:%`).orderBy('id').limit(2).execute()
      ).map((n) => n.id);
      await t.database.db.updateTable('notices').set({ status: 'pending', attempts: 3 }).where('id', '=', ids[0]!).execute();
      await t.database.db.updateTable('notices').set({ status: 'delivered', attempts: 3 }).where('id', '=', ids[1]!).execute();
      const retried = (await t.app.inject({ method: 'GET', url: `/v1/incidents/${inc.id}/notify`, headers: t.auth('analyst') })).json();
      assert.deepEqual([retried.retrying, retried.retries], [1, 4]);
      const notices = await t.database.db
        .selectFrom('notices')
        .select(['customer_id', 'urgent', 'vars'])
        .where('idempotency_key', 'like', `incident:${inc.id}:%`)
        .execute();
      assert.equal(notices.length, 8);
      assert.ok(notices.every((n) => Number(n.urgent) === 1 && JSON.parse(n.vars).fields === 'name,phone'));
      assert.equal((await t.ctx.services.incidents.get(inc.id))!.state, 'notified');
      // closing needs an admin
      assert.equal((await post(`/v1/incidents/${inc.id}/close`, {}, 'analyst')).statusCode, 403);
      assert.equal((await post(`/v1/incidents/${inc.id}/close`, { reason: 'done' }, 'admin')).json().state, 'closed');
      assert.equal((await post(`/v1/incidents/${inc.id}/contain`)).statusCode, 200);
      assert.equal(
        (await t.app.inject({ method: 'PATCH', url: `/v1/incidents/${inc.id}/scope`, headers: t.auth('analyst'), payload: { reason: 'late change' } }))
          .statusCode,
        409,
      );
      const list = (await t.app.inject({ method: 'GET', url: '/v1/incidents', headers: t.auth('analyst') })).json();
      assert.ok(list.some((x: { id: string }) => x.id === inc.id));
    });
  });
}

describe('incident webhook and PDF', () => {
  it('signs timestamp.body with HMAC-SHA256', () => {
    assert.equal(signWebhook('s', '1700000000', '{}'), 'sha256=e9232c9945da8456c2dea6b39da7786c07b00bca7a64d5dd1283674713a7b72a');
  });
  it('fails with a clear message when a configured system font is missing', async () => {
    await assert.rejects(
      renderPdf('# 报告', { path: '/nonexistent/font.ttc', name: 'X' }),
      (e: Error) => e instanceof PdfFontMissing && /pdfFont\.path/.test(e.message) && /bundled/.test(e.message),
    );
  });
  it('draws Chinese, Latin and full-width text with the bundled font, no system font needed', async () => {
    const text = '# 事件报告 Incident 42\n\n- 泄露字段：姓名、手机号（已脱敏）\n\n| 时间 | 2026-12-03 10:00 +08:00 |\n';
    const pdf = await renderPdf(text);
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    // Embedded fonts are subsets of the bundled Noto Sans SC files, one per Unicode slice used.
    const fonts = [...pdf.toString('latin1').matchAll(/\/BaseFont \/([A-Z]{6}\+[^\s/]+)/g)].map((m) => m[1]);
    assert.ok(fonts.length >= 2, `expected several embedded subset fonts, got ${fonts.join(', ')}`);
    assert.ok(
      fonts.every((f) => /NotoSansSC/i.test(f!)),
      fonts.join(', '),
    );
    if (!havePoppler) return;
    // The glyphs must be drawn, not only extractable: a page whose font outlines were embedded
    // wrongly still yields its text to pdftotext but shows almost no ink.
    const dir = mkdtempSync(path.join(tmpdir(), 'fanzha-pdf-'));
    writeFileSync(path.join(dir, 'r.pdf'), pdf);
    execFileSync('pdftoppm', ['-gray', '-r', '50', '-f', '1', '-l', '1', path.join(dir, 'r.pdf'), path.join(dir, 'p')]);
    const pgm = readFileSync(
      readdirSync(dir)
        .map((f) => path.join(dir, f))
        .find((f) => f.endsWith('.pgm'))!,
    );
    const [, w, h] = pgm.toString('latin1', 0, 40).split(/\s+/).map(Number);
    let ink = 0;
    for (const v of pgm.subarray(pgm.length - w! * h!)) if (v < 128) ink++;
    const drawn = [...text.replace(/[\s#|-]/g, '')].length;
    assert.ok(ink >= 5 * drawn, `only ${ink} dark pixels for ${drawn} characters: glyphs not drawn`);
  });
});
