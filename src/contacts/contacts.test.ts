import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { staffDisplayName } from './display-name.ts';
import { newPhrase } from './phrase.ts';
import { ZH_WORDS, EN_WORDS } from './phrase-words.ts';

const iso = () => new Date().toISOString();

describe('staff display names and check phrases', () => {
  it('shows only a form of address for Chinese names and the given name for Latin ones', () => {
    assert.equal(staffDisplayName('王芳'), '小王');
    assert.equal(staffDisplayName('王 小 芳'), '小王');
    assert.equal(staffDisplayName('欧阳娜娜'), '小欧阳');
    assert.equal(staffDisplayName('小李'), '小李');
    assert.equal(staffDisplayName('Alice Smith'), 'Alice');
    assert.equal(staffDisplayName('Smith, Alice'), 'Alice');
    assert.equal(staffDisplayName('Dr. Jane K. Doe'), 'Jane');
    assert.equal(staffDisplayName('  '), '');
  });

  it('makes phrases of two different common words with no digits', () => {
    assert.equal(new Set(ZH_WORDS).size, ZH_WORDS.length);
    assert.equal(new Set(EN_WORDS).size, EN_WORDS.length);
    for (let i = 0; i < 500; i++) {
      for (const lang of ['zh-CN', 'en'] as const) {
        const p = newPhrase(lang);
        const [a, b] = p.split(' ');
        assert.ok(a && b && a !== b, p);
        assert.ok(!/\d/.test(p));
        assert.ok(((lang === 'en' ? EN_WORDS : ZH_WORDS) as readonly string[]).includes(a!));
      }
    }
  });
});

for (const dialect of testDialects()) {
  describe(`contact sessions on ${dialect.name}`, () => {
    let t: TestApp;
    let agent: string, agent2: string, noPrincipal: string, system: string;
    before(async () => {
      t = await createTestApp(dialect, { areas: { contacts: { sessionTtlMinutes: 30, retentionHours: 0 }, notify: { quietHours: null } } });
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: t.auth('ingest'),
        payload: [
          { id: 'p1', type: 'principal.upserted', at: iso(), principalId: 'staff-1', kind: 'staff', name: '王芳', team: '售后' },
          { id: 'p2', type: 'principal.upserted', at: iso(), principalId: 'staff-2', kind: 'staff', name: 'Alice Smith', team: 'After-sales' },
          { id: 'p3', type: 'principal.upserted', at: iso(), principalId: 'sys-1', kind: 'system', name: 'ERP' },
          { id: 'c1', type: 'customer.upserted', at: iso(), customerId: 'c1', name: '刘小明', phone: '13812345678' },
          { id: 'c2', type: 'customer.upserted', at: iso(), customerId: 'c2', name: 'Bob', phone: '+447700900123', lang: 'en' },
          { id: 'o1', type: 'order.placed', at: iso(), orderId: 'o1', customerId: 'c1', items: [{ sku: 'A', title: 'x', price: 1, quantity: 1 }], total: 1 },
        ],
      });
      assert.equal(r.json().accepted, 6, r.body);
      const key = async (principalId: string | null) => (await t.ctx.services.apiKeys.create({ role: 'agent', name: 'agent', principalId })).key;
      agent = await key('staff-1');
      agent2 = await key('staff-2');
      noPrincipal = await key(null);
      system = await key('sys-1');
    });
    after(async () => t.close());

    const bearer = (k: string) => ({ authorization: `Bearer ${k}` });
    const open = (k: string, body: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/v1/contacts', headers: bearer(k), payload: body });
    const patch = (k: string, id: string, status: string) =>
      t.app.inject({ method: 'PATCH', url: `/v1/contacts/${id}`, headers: bearer(k), payload: { status } });
    const status = (id: string, q = '') => t.app.inject({ method: 'GET', url: `/v1/customers/${id}/contact-status${q}`, headers: t.auth('ingest') });

    it('says "not contacting you" when no session is open', async () => {
      const r = await status('c1');
      assert.equal(r.statusCode, 200);
      const b = r.json();
      assert.equal(b.contacting, false);
      assert.equal(b.session, null);
      assert.equal(b.lastContactAt, null);
      assert.match(b.message, /没有联系您/);
      assert.match(b.message, /挂断/);
      // Unknown customers get the same answer shape: the endpoint reveals nothing about existence.
      const u = (await status('nobody')).json();
      assert.deepEqual(Object.keys(u).sort(), Object.keys(b).sort());
      assert.equal(u.contacting, false);
    });

    it('opens a session with display name, team, phrase and expiry; the app sees it', async () => {
      const r = await open(agent, { customerId: 'c1', orderId: 'o1', channel: 'phone', reason: '退款到账时间确认' });
      assert.equal(r.statusCode, 201, r.body);
      const s = r.json();
      assert.match(s.id, /^cs_/);
      assert.equal(s.staffName, '小王');
      assert.equal(s.team, '售后');
      assert.equal(s.status, 'open');
      assert.equal(s.phrase.split(' ').length, 2);
      assert.ok(!/\d/.test(s.phrase));
      const ttl = Date.parse(s.expiresAt) - Date.parse(s.createdAt);
      assert.equal(ttl, 30 * 60_000);
      assert.ok(!JSON.stringify(s).includes('王芳'), 'never the full name');

      const st = (await status('c1')).json();
      assert.equal(st.contacting, true);
      assert.equal(st.session.staffName, '小王');
      assert.equal(st.session.team, '售后');
      assert.equal(st.session.orderId, 'o1');
      assert.equal(st.session.phrase, s.phrase);
      assert.ok(!('principalId' in st.session), 'no staff ids in the status');
      assert.ok(!JSON.stringify(st).includes('staff-1'));
      assert.match(st.message, /我们正在联系您：小王（售后），关于订单o1/);
      assert.ok(st.message.includes(s.phrase));
      assert.ok(st.lastContactAt);

      // A contact.opened notice was written with the session.
      const n = await t.database.db.selectFrom('notices').selectAll().where('idempotency_key', '=', `contact.opened:${s.id}`).executeTakeFirstOrThrow();
      assert.equal(n.customer_id, 'c1');
      assert.equal(n.source, 'contacts');

      for (const next of ['ringing', 'connected']) assert.equal((await patch(agent, s.id, next)).json().status, next);
      assert.equal((await patch(agent, s.id, 'connected')).statusCode, 200, 'repeating a status is a no-op');
      assert.equal((await patch(agent, s.id, 'ringing')).statusCode, 409, 'no going back');
      assert.equal((await patch(agent2, s.id, 'ended')).statusCode, 403, 'another agent may not end it');
      const ended = await patch(agent, s.id, 'ended');
      assert.equal(ended.json().status, 'ended');
      assert.ok(ended.json().endedAt);
      const after = (await status('c1')).json();
      assert.equal(after.contacting, false);
      assert.equal(after.lastContactAt, st.lastContactAt);
      assert.equal(after.lastContactChannel, 'phone');
    });

    it('uses English for English-speaking customers and Latin names', async () => {
      const s = (await open(agent2, { customerId: 'c2', channel: 'chat', reason: 'Delivery date' })).json();
      assert.equal(s.staffName, 'Alice');
      assert.ok(EN_WORDS.includes(s.phrase.split(' ')[0]));
      const st = (await status('c2')).json();
      assert.equal(st.lang, 'en');
      assert.match(st.message, /We are contacting you now: Alice \(After-sales\)/);
      assert.equal((await status('c2', '?lang=zh-CN')).json().lang, 'zh-CN');
      await patch(agent2, s.id, 'ended');
    });

    it('expires sessions that are never ended', async () => {
      const s = (await open(agent, { customerId: 'c1', channel: 'sms', reason: '物流' })).json();
      assert.equal((await status('c1')).json().contacting, true);
      await t.database.db
        .updateTable('contact_sessions')
        .set({ expires_at: Date.now() - 1 })
        .where('id', '=', s.id)
        .execute();
      assert.equal((await status('c1')).json().contacting, false);
      assert.equal((await patch(agent, s.id, 'connected')).statusCode, 409, 'an expired session cannot connect');
      assert.equal((await patch(agent, s.id, 'ended')).statusCode, 200, 'but it may still be closed');
    });

    it('refuses keys without a staff principal, unknown principals and mismatched orders', async () => {
      assert.equal((await open(noPrincipal, { customerId: 'c1', channel: 'phone', reason: 'x' })).statusCode, 403);
      assert.equal((await open(system, { customerId: 'c1', channel: 'phone', reason: 'x' })).statusCode, 403);
      const ghost = (await t.ctx.services.apiKeys.create({ role: 'agent', principalId: 'ghost' })).key;
      assert.equal((await open(ghost, { customerId: 'c1', channel: 'phone', reason: 'x' })).statusCode, 409);
      assert.equal((await open(agent, { customerId: 'c2', orderId: 'o1', channel: 'phone', reason: 'x' })).statusCode, 400);
      assert.equal((await open(agent, { customerId: 'c1', channel: 'fax', reason: 'x' })).statusCode, 400);
      for (const role of ['ingest', 'analyst', 'admin'] as const) {
        assert.equal(
          (await t.app.inject({ method: 'POST', url: '/v1/contacts', headers: t.auth(role), payload: { customerId: 'c1', channel: 'phone', reason: 'x' } }))
            .statusCode,
          403,
        );
      }
      for (const role of ['agent', 'analyst', 'admin'] as const) {
        assert.equal((await t.app.inject({ method: 'GET', url: '/v1/customers/c1/contact-status', headers: t.auth(role) })).statusCode, 403);
      }
      assert.equal((await t.app.inject({ method: 'GET', url: '/v1/customers/c1/contact-status' })).statusCode, 401);
      assert.equal((await patch(agent, 'cs_missing', 'ended')).statusCode, 404);
    });

    it('purges session details after retention and keeps the aggregate', async () => {
      const day = new Date().toISOString().slice(0, 10);
      const before = (await t.app.inject({ method: 'GET', url: `/v1/contacts/stats?from=${day}&to=${day}`, headers: t.auth('analyst') })).json();
      const total = before.items.reduce((s: number, i: { sessions: number }) => s + i.sessions, 0);
      assert.equal(total, 3);
      const live = (await open(agent, { customerId: 'c1', channel: 'phone', reason: 'still open' })).json();
      const purged = await t.ctx.services.contacts.purge();
      assert.equal(purged, 3, 'ended and expired sessions go (retention 0 h); the open one stays');
      const left = await t.database.db.selectFrom('contact_sessions').select('id').execute();
      assert.deepEqual(
        left.map((r) => r.id),
        [live.id],
      );
      const after = (await t.app.inject({ method: 'GET', url: `/v1/contacts/stats?from=${day}&to=${day}`, headers: t.auth('admin') })).json();
      const phoneTeam = after.items.find((i: { channel: string; team: string }) => i.channel === 'phone' && i.team === '售后');
      assert.equal(phoneTeam.sessions, 2);
      assert.equal(phoneTeam.connected, 1);
      assert.equal(
        after.items.reduce((s: number, i: { sessions: number }) => s + i.sessions, 0),
        4,
      );
      const agg = await t.database.db.selectFrom('contact_aggregates').selectAll().execute();
      assert.equal(
        agg.reduce((s, a) => s + Number(a.sessions), 0),
        3,
      );
      assert.equal((await status('c1')).json().contacting, true);
      assert.ok((await status('c2')).json().lastContactAt, 'the last contact time survives the purge');
    });

    it('serves the embeddable status card and its demo from self, without a key', async () => {
      const js = await t.app.inject({ method: 'GET', url: '/embed/contact-status.js' });
      assert.equal(js.statusCode, 200);
      assert.match(js.headers['content-type'] as string, /javascript/);
      assert.match(js.body, /customElements\.define\('fanzha-contact-status'/);
      assert.ok(!/innerHTML/.test(js.body), 'data is inserted as text only');
      const html = await t.app.inject({ method: 'GET', url: '/embed/demo.html' });
      assert.equal(html.statusCode, 200);
      assert.match(html.headers['content-security-policy'] as string, /script-src 'self'/);
      assert.ok(!/<script>(?!<)/.test(html.body) && !/<script(?![^>]*src=)[^>]*>/.test(html.body), 'no inline scripts (CSP)');
      assert.match(html.body, /fanzha-contact-status/);
      const demo = await t.app.inject({ method: 'GET', url: '/embed/demo-status.json' });
      assert.equal(demo.json().session.staffName, '小王');
    });
  });
}
