// End to end on the simulated shop, on each storage backend: a leak runs, the victims' reports
// arrive, a case forms, the investigation attributes it, an incident is opened from it, the
// principal is contained (no further reveals), exactly the affected customers are notified once
// (checked against the simulator's ground truth) and the regulator report has the PIPL art. 57
// elements, as Markdown and as a PDF with Chinese text.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { generateWorld, type SimWorld } from '../sim/world.ts';
import { worldEvents } from '../sim/events.ts';
import { ReportInput, type ReportInputT } from '../reports/reports.schemas.ts';
import { signWebhook } from './webhook.ts';
import { REGULATOR_SECTIONS } from './report.ts';
import { haveCommand } from '../testing/requirements.ts';

const havePoppler = haveCommand('pdftoppm', 'the incident PDF rendering check', 'apt-get install -y poppler-utils');

const SECRET = 'incident-webhook-test-secret';

for (const dialect of testDialects()) {
  describe(`incidents end to end on ${dialect.name}`, () => {
    let t: TestApp;
    let world: SimWorld;
    let hook: Server;
    const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
    const reportIds: string[] = [];

    before(async () => {
      hook = createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          received.push({ headers: req.headers, body });
          res.end('ok');
        });
      });
      await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
      const port = (hook.address() as { port: number }).port;
      t = await createTestApp(dialect, {
        logLevel: 'warn',
        areas: {
          incidents: { webhook: { url: `http://127.0.0.1:${port}/fanzha`, secret: SECRET }, contact: '数据保护负责人 dpo@shop.example', shopName: '示例商城' },
        },
      });
      world = generateWorld({
        scenario: 'insider-agent',
        seed: 2,
        customers: 2500,
        days: 40,
        principals: 150,
        lightBatch: true,
        start: Date.UTC(2026, 8, 1) - 8 * 3_600_000,
      });
      let batch: unknown[] = [];
      for (const e of worldEvents(world)) {
        batch.push(e);
        if (batch.length === 5000) {
          await t.ctx.services.events.ingest(batch);
          batch = [];
        }
      }
      await t.ctx.services.events.ingest(batch);
      // the victims' reports arrive through the reports service (they form one case per gang);
      // the fraud team investigates the leak's reports together
      for (const r of world.reports) {
        const body = Value.Default(ReportInput, structuredClone(r)) as ReportInputT;
        reportIds.push((await t.ctx.services.reports.submit(body, { keyId: 'test', keyName: 'test', role: 'agent', principalId: null })).reportId);
      }
    });
    after(async () => {
      await t.close();
      await new Promise((r) => hook.close(r));
    });

    it('attributes, opens, contains, notifies exactly the affected customers once and reports', async () => {
      const leaker = world.truth.leakers[0]!;
      const inv = (await t.app.inject({ method: 'POST', url: '/v1/investigations', headers: t.auth('analyst'), payload: { reportIds } })).json();
      assert.equal(inv.verdict, 'attributed');
      assert.equal(inv.suspects[0].principalId, leaker);

      // the leaker has a fanzha key and can reveal, before the incident
      const leakerKey = (await t.ctx.services.apiKeys.create({ role: 'agent', principalId: leaker, name: 'leaker' })).key;
      const reveal = (key: string) =>
        t.app.inject({
          method: 'POST',
          url: `/v1/customers/${world.customers[0]!.id}/reveal`,
          headers: { authorization: `Bearer ${key}` },
          payload: { fields: ['phone'], purpose: 'after-sales follow-up' },
        });
      assert.equal((await reveal(leakerKey)).statusCode, 200);

      // open from the investigation (idempotent)
      const created = await t.app.inject({ method: 'POST', url: '/v1/incidents', headers: t.auth('analyst'), payload: { investigationId: inv.id } });
      assert.equal(created.statusCode, 201, created.body);
      let inc = created.json();
      assert.equal(inc.state, 'open');
      assert.deepEqual(inc.principalIds, [leaker]);
      // localised, naming the principal by its display name
      const leakerName = world.principals.find((p) => p.id === leaker)!.name;
      assert.equal(
        inc.title,
        `泄露：归因于 ${leakerName} (${leaker})（调查 ${inv.id}） / Leak attributed to ${leakerName} (${leaker}) (investigation ${inv.id})`,
      );
      const again = await t.app.inject({ method: 'POST', url: '/v1/incidents', headers: t.auth('analyst'), payload: { investigationId: inv.id } });
      assert.equal(again.statusCode, 200);
      assert.equal(again.json().id, inc.id);
      assert.ok(inc.affected > 0);
      assert.equal(
        Object.values(inc.counts.byProvince as Record<string, number>).reduce((a, b) => a + b, 0),
        inc.affected,
      );

      // the scope derived from the investigation alone (leak start estimated from where the victims
      // sit among the leaker's reads) must cover every customer the leaker really leaked
      const derivedIds = new Set(await t.ctx.services.incidents.customerIds(inc.id, { limit: 10_000 }));
      assert.equal(derivedIds.size, inc.affected);
      const leakedTruth = leakedCustomers(world, leaker, fieldsMask(inc.fields));
      const missed = [...leakedTruth].filter((c) => !derivedIds.has(c));
      assert.deepEqual(missed, [], 'every leaked customer is in the derived scope');
      assert.ok(leakedTruth.size / derivedIds.size > 0.6, `derived scope ${derivedIds.size} for ${leakedTruth.size} leaked customers`);

      // the shop's review dates the start of the leak: the scope is edited, with the reason recorded
      const edited = await t.app.inject({
        method: 'PATCH',
        url: `/v1/incidents/${inc.id}/scope`,
        headers: t.auth('analyst'),
        payload: { from: world.truth.leakStart, to: new Date(world.end).toISOString(), reason: 'leak start established by the review' },
      });
      assert.equal(edited.statusCode, 200, edited.body);
      inc = edited.json();

      // after the edit the scope is exactly the customers the leaker read since the leak started
      const truth = leakedCustomers(world, leaker, fieldsMask(inc.fields));
      assert.equal(inc.affected, truth.size);

      // notify must wait for containment, and is for admins
      assert.equal((await t.app.inject({ method: 'POST', url: `/v1/incidents/${inc.id}/notify?wait=true`, headers: t.auth('admin') })).statusCode, 409);
      assert.equal((await t.app.inject({ method: 'POST', url: `/v1/incidents/${inc.id}/notify?wait=true`, headers: t.auth('analyst') })).statusCode, 403);

      // contain: keys revoked, reveals frozen (even with a fresh key), signed webhook to the shop
      const contained = await t.app.inject({ method: 'POST', url: `/v1/incidents/${inc.id}/contain`, headers: t.auth('analyst') });
      assert.equal(contained.statusCode, 200, contained.body);
      assert.equal(contained.json().state, 'contained');
      assert.equal(contained.json().containment.keysRevoked, 1);
      assert.equal(contained.json().containment.webhook.status, 'sent');
      assert.equal((await reveal(leakerKey)).statusCode, 401);
      const freshKey = (await t.ctx.services.apiKeys.create({ role: 'agent', principalId: leaker, name: 'leaker again' })).key;
      const frozen = await reveal(freshKey);
      assert.equal(frozen.statusCode, 403, frozen.body);
      assert.equal(received.length, 1);
      const h = received[0]!;
      assert.equal(h.headers['x-fanzha-signature'], signWebhook(SECRET, String(h.headers['x-fanzha-timestamp']), h.body));
      assert.deepEqual(JSON.parse(h.body).actions, [{ principalId: leaker, disablePrincipal: true, rotateApiClientKeys: true }]);

      // notify: one notice per affected customer, never twice
      const n1 = await t.app.inject({ method: 'POST', url: `/v1/incidents/${inc.id}/notify?wait=true`, headers: t.auth('admin') });
      assert.equal(n1.statusCode, 200, n1.body);
      assert.equal(n1.json().enqueued, truth.size);
      assert.equal(n1.json().queued, truth.size);
      const n2 = await t.app.inject({ method: 'POST', url: `/v1/incidents/${inc.id}/notify?wait=true`, headers: t.auth('admin') });
      assert.equal(n2.json().queued + n2.json().sent + n2.json().delivered + n2.json().failed, truth.size);
      const notices = await t.database.db
        .selectFrom('notices')
        .select(['customer_id', 'template'])
        .where('idempotency_key', 'like', `incident:${inc.id}:%`)
        .execute();
      assert.equal(notices.length, truth.size);
      assert.deepEqual(new Set(notices.map((x) => x.customer_id)), truth);
      const detail = (await t.app.inject({ method: 'GET', url: `/v1/incidents/${inc.id}`, headers: t.auth('analyst') })).json();
      assert.equal(detail.state, 'notified');
      assert.deepEqual(
        detail.events.map((e: { kind: string }) => e.kind),
        ['opened', 'scope_edited', 'contained', 'notified'],
      );
      assert.ok(detail.events.every((e: { byKey: string | null }) => e.byKey));
      // who acted is named by the key's name, for the timeline and the reports
      const keyNames = new Set((await t.database.db.selectFrom('api_keys').select('name').execute()).map((k) => k.name));
      assert.ok(
        detail.events.every((e: { byName: string | null }) => e.byName && keyNames.has(e.byName)),
        JSON.stringify(detail.events.map((e: { byName: string | null }) => e.byName)),
      );
      assert.equal(detail.events[1].reason, 'leak start established by the review');

      // the regulator report: PIPL art. 57 elements, timeline, numbers, the covering checkpoint
      const md = await t.app.inject({ method: 'GET', url: `/v1/incidents/${inc.id}/report?kind=regulator`, headers: t.auth('analyst') });
      assert.equal(md.statusCode, 200);
      for (const s of REGULATOR_SECTIONS) assert.ok(md.body.includes(s), s);
      for (const s of [
        'What personal information leaked',
        'Why (cause)',
        'Possible harm',
        'Measures taken',
        'What people can do',
        'Contact',
        'dpo@shop.example',
        'Timeline',
        'Signed access-log checkpoint',
        String(truth.size),
        leaker,
      ])
        assert.ok(md.body.includes(s), s);
      assert.match(md.body, /hash `[0-9a-f]{64}`/);
      // the cause is stated as findings with the attribution's figures, no analyst instruction
      const cause = md.body.slice(md.body.indexOf('## 2.'), md.body.indexOf('## 3.'));
      assert.doesNotMatch(md.body, /Check the evidence|contain the principal and warn/);
      assert.match(cause, new RegExp(`Finding: .*${leaker}`));
      assert.match(cause, /had read \d+ of \d+ reporting victims' data/);
      // every time in the shop's time zone with its offset
      assert.match(md.body, /All times in Asia\/Shanghai, UTC\+08:00/);
      const timelineSection = md.body.slice(md.body.indexOf('## 时间线'), md.body.indexOf('## 证据'));
      assert.match(timelineSection, /- \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+08:00: /);
      assert.doesNotMatch(timelineSection, /\d\d:\d\d:\d\d(\.\d+)?Z/);
      const pm = await t.app.inject({ method: 'GET', url: `/v1/incidents/${inc.id}/report?kind=postmortem`, headers: t.auth('admin') });
      assert.ok(pm.body.includes('Internal post-mortem') && pm.body.includes('Containment record'));
      assert.ok(pm.body.includes('## Cause (findings)') && !pm.body.includes('Check the evidence') && pm.body.includes(`${leakerName} (${leaker})`));
      // no personal data in the reports or the logs
      for (const c of world.customers.slice(0, 50)) {
        assert.ok(!md.body.includes(c.phone));
        assert.ok(!t.logs().includes(c.phone));
      }

      if (dialect.name === 'sqlite' && havePoppler) {
        const pdf = await t.app.inject({ method: 'GET', url: `/v1/incidents/${inc.id}/report?kind=regulator&format=pdf`, headers: t.auth('analyst') });
        assert.equal(pdf.statusCode, 200, pdf.body.slice(0, 300));
        assert.equal(pdf.headers['content-type'], 'application/pdf');
        const dir = mkdtempSync(join(tmpdir(), 'fanzha-inc-'));
        writeFileSync(join(dir, 'r.pdf'), pdf.rawPayload);
        execFileSync('pdftoppm', ['-png', '-r', '40', '-f', '1', '-l', '1', join(dir, 'r.pdf'), join(dir, 'page')]);
        assert.ok(existsSync(join(dir, 'page-1.png')) || existsSync(join(dir, 'page-01.png')));
        const text = execFileSync('pdftotext', [join(dir, 'r.pdf'), '-']).toString();
        for (const s of REGULATOR_SECTIONS) assert.ok(text.includes(s), `PDF text lacks ${s}`);
      }

      const closed = await t.app.inject({
        method: 'POST',
        url: `/v1/incidents/${inc.id}/close`,
        headers: t.auth('admin'),
        payload: { reason: 'notified, reported' },
      });
      assert.equal(closed.json().state, 'closed');
    });
  });
}

/** Ground truth: every real customer whose order data the leaker read since the leak started. */
function leakedCustomers(world: SimWorld, leaker: string, mask: number): Set<string> {
  const out = new Set<string>();
  const since = Date.parse(world.truth.leakStart);
  const a = world.access;
  const leakerIdx = world.principals.findIndex((p) => p.id === leaker);
  for (let i = 0; i < a.n; i++)
    if (a.principal[i] === leakerIdx && a.at[i]! >= since && (a.fields[i]! & mask) !== 0) out.add(world.customers[a.customer[i]!]!.id);
  return out;
}

function fieldsMask(fields: string[]): number {
  const names = ['name', 'phone', 'email', 'address', 'items', 'price', 'placedAt', 'refund', 'orderNo'];
  return fields.reduce((m, f) => m | (1 << names.indexOf(f)), 0);
}
