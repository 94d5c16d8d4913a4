// Settings edited at run time: masking rules and notice texts, through the API on each dialect —
// role checks, validation as problem+json, the recorded history, and the effect on what an agent
// sees and on what a notice says.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { SettingsStore } from './settings.service.ts';
import { MaskingRules } from '../vault/masking.settings.ts';
import { DEFAULT_MASKING } from '../vault/masking.ts';
import type { Role } from '../http/roles.ts';

const PHONE = '+8613812345678';
const iso = (ms = Date.now()) => new Date(ms).toISOString();
const PROBLEM = /^application\/problem\+json/;

for (const dialect of testDialects()) {
  describe(`settings on ${dialect.name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, {
        logLevel: 'warn',
        areas: { notify: { officialDomain: 'shop.example.com', shopName: { 'zh-CN': '好物店', en: 'GoodShop' }, quietHours: null } },
      });
      const r = await t.ctx.services.events.ingest([
        {
          id: 'e-c1',
          type: 'customer.upserted',
          at: iso(),
          customerId: 'c1',
          name: '刘小明',
          phone: PHONE,
          email: 'liu@example.com',
          address: { province: '广东省', city: '深圳市', line: '科技园路1号' },
        },
        { id: 'e-c2', type: 'customer.upserted', at: iso(), customerId: 'c2', name: 'Ann Lee', phone: '+8613912345678', lang: 'en' },
        {
          id: 'e-o1',
          type: 'order.placed',
          at: iso(),
          orderId: 'o1',
          customerId: 'c1',
          items: [{ sku: 'A', title: '净化器', price: 10, quantity: 1 }],
          total: 10,
        },
      ]);
      assert.equal(r.rejected.length, 0);
    });
    after(async () => t.close());

    const req = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, role: Role, payload?: object) =>
      t.app.inject({ method, url, headers: t.auth(role), ...(payload ? { payload } : {}) });
    const customerAs = async (role: Role) => {
      const r = await req('GET', '/v1/customers/c1', role);
      assert.equal(r.statusCode, 200, r.body);
      return r.json() as { name: string | null; phone: string | null; email: string | null; address: Record<string, string> | null };
    };

    it('a masking change applies at once to what an agent sees on the customer endpoints, and a reset restores the configuration', async () => {
      const before = await customerAs('agent');
      assert.equal(before.name, '刘*');
      assert.equal(before.phone, '138****5678');
      assert.equal(before.email, null);
      const g = await req('GET', '/v1/settings/masking', 'analyst');
      assert.equal(g.statusCode, 200);
      assert.equal(g.json().overridden, false);
      assert.deepEqual(g.json().roles.agent, DEFAULT_MASKING.roles.agent);
      assert.equal(g.json().examples.phone.mask, '138****5678');
      assert.deepEqual(g.json().views.address, ['clear', 'mask', 'region', 'hide']);

      const put = await req('PUT', '/v1/settings/masking', 'admin', { roles: { agent: { name: 'hide', phone: 'clear', email: 'mask', address: 'hide' } } });
      assert.equal(put.statusCode, 200, put.body);
      assert.equal(put.json().overridden, true);
      assert.deepEqual(put.json().roles.analyst, DEFAULT_MASKING.roles.analyst, 'roles not given keep their rules');
      const after = await customerAs('agent');
      assert.equal(after.name, null);
      assert.equal(after.phone, PHONE);
      assert.equal(after.email, 'l***@example.com');
      assert.equal(after.address, null);
      // the order view and the lookup go through the same rules
      const order = (await req('GET', '/v1/orders/o1', 'agent')).json();
      assert.equal(order.customer.name, null);
      const found = (await req('POST', '/v1/customers/lookup', 'agent', { phone: PHONE })).json();
      assert.equal(found.items[0].phone, PHONE);
      assert.equal((await customerAs('analyst')).name, '刘*', 'other roles unchanged');

      const reset = await req('DELETE', '/v1/settings/masking', 'admin');
      assert.equal(reset.statusCode, 200);
      assert.equal(reset.json().overridden, false);
      assert.equal((await customerAs('agent')).name, '刘*');

      const h = (await req('GET', '/v1/settings/changes?prefix=vault.masking', 'analyst')).json().items;
      assert.equal(h.length, 2);
      assert.equal(h[0].after, null, 'newest first: the reset');
      assert.deepEqual(h[1].before, null);
      assert.equal(h[1].after.agent.phone, 'clear');
      assert.deepEqual(h[1].by, { keyId: h[1].by.keyId, keyName: 'test admin', role: 'admin' });
      assert.ok(Date.parse(h[1].at) <= Date.parse(h[0].at));
    });

    it('only admins change masking rules; analysts read them; views a field lacks are refused as problem+json', async () => {
      const body = { roles: { agent: { name: 'clear', phone: 'clear', email: 'clear', address: 'clear' } } };
      for (const role of ['analyst', 'agent', 'ingest'] as const) {
        const r = await req('PUT', '/v1/settings/masking', role, body);
        assert.equal(r.statusCode, 403, role);
        assert.match(r.headers['content-type'] as string, PROBLEM);
      }
      assert.equal((await req('GET', '/v1/settings/masking', 'agent')).statusCode, 403);
      for (const bad of [
        { roles: { agent: { name: 'region', phone: 'mask', email: 'hide', address: 'region' } } },
        { roles: { agent: { name: 'mask', phone: 'mask', email: 'hide' } } },
        { roles: { ingest: { name: 'clear', phone: 'clear', email: 'clear', address: 'clear' } } },
        { roles: {} },
        { roles: { agent: { name: 'reveal', phone: 'mask', email: 'hide', address: 'region' } } },
      ]) {
        const r = await req('PUT', '/v1/settings/masking', 'admin', bad);
        assert.equal(r.statusCode, 400, JSON.stringify(bad));
        assert.match(r.headers['content-type'] as string, PROBLEM);
      }
      assert.equal((await customerAs('agent')).phone, '138****5678', 'nothing was stored');
    });

    it('another node picks up a masking change within its cache time', async () => {
      let now = 1_000_000;
      const nodeB = new MaskingRules(new SettingsStore(t.database, { ttlMs: 2_000, now: () => now }), DEFAULT_MASKING);
      assert.equal((await nodeB.current()).roles.agent?.name, 'mask');
      const admin = { keyId: 'k1', keyName: 'node A admin', role: 'admin' };
      await t.ctx.services.masking.update({ agent: { name: 'clear', phone: 'mask', email: 'hide', address: 'region' } }, admin);
      assert.equal((await customerAs('agent')).name, '刘小明', 'the writing node applies it at once');
      now += 1_000;
      assert.equal((await nodeB.current()).roles.agent?.name, 'mask', 'node B still serves its snapshot');
      now += 1_500;
      assert.equal((await nodeB.current()).roles.agent?.name, 'clear', 'node B reloads after the cache time');
      await t.ctx.services.masking.reset(admin);
    });

    it('lists every template with its built-in text and variables; analysts read, only admins edit', async () => {
      const r = await req('GET', '/v1/settings/templates', 'analyst');
      assert.equal(r.statusCode, 200);
      const items = r.json().items as { template: string; lang: string; variables: string[]; builtIn: { subject: string; text: string }; override: unknown }[];
      assert.equal(items.length, 18);
      const refund = items.find((i) => i.template === 'refund.requested' && i.lang === 'zh-CN')!;
      assert.deepEqual(refund.variables, ['shop', 'domain', 'orderId']);
      assert.match(refund.builtIn.text, /^【\{shop\}】您的订单\{orderId\}已提交退款申请/);
      assert.equal(refund.override, null);
      const body = { subject: '{shop} 退款', text: '【{shop}】订单{orderId}退款中。' };
      for (const role of ['analyst', 'agent'] as const)
        assert.equal((await req('PUT', '/v1/settings/templates/refund.requested/zh-CN', role, body)).statusCode, 403);
      assert.equal((await req('GET', '/v1/settings/templates', 'agent')).statusCode, 403);
      assert.equal((await req('PUT', '/v1/settings/templates/refund.requested/fr', 'admin', body)).statusCode, 400);
      assert.equal((await req('PUT', '/v1/settings/templates/no.such/zh-CN', 'admin', body)).statusCode, 400);
    });

    it('refuses texts with unknown variables, links to other hosts, no signature or over the length, naming no text', async () => {
      const put = (text: string, subject = '【{shop}】提醒') => req('PUT', '/v1/settings/templates/refund.requested/zh-CN', 'admin', { subject, text });
      const unknown = await put('【{shop}】订单{orderId}，请提供{password}和{code}');
      assert.equal(unknown.statusCode, 400);
      assert.match(unknown.headers['content-type'] as string, PROBLEM);
      assert.deepEqual(unknown.json().unknownVariables, ['password', 'code']);
      assert.equal(unknown.json().type, 'https://fanzha.dev/problems/invalid-template');
      for (const [text, why] of [
        ['【{shop}】退款请点 http://refund-help.top/a', /SMS rule/],
        ['【{shop}】详情 shop-example.com', /SMS rule/],
        ['订单{orderId}退款中', /signature/],
        ['【{shop}】' + '很'.repeat(700), /longer than 700/],
        ['【{shop}】订单{orderId', /brace/],
        ['【{shop}】<b>退款</b>', /not allowed/],
      ] as const) {
        const r = await put(text);
        assert.equal(r.statusCode, 400, text.slice(0, 30));
        assert.match(r.json().detail, why);
        assert.ok(!r.body.includes('refund-help'), 'the problem does not echo the text');
      }
      assert.equal((await put('【{shop}】ok', '{shop}\n二行')).statusCode, 400);
      assert.equal((await put('【{shop}】ok', 'http://x.top/a {shop}')).statusCode, 400, 'the subject follows the SMS rules too');
      // the official domain is allowed
      assert.equal((await put('【{shop}】订单{orderId}退款中，详情 {domain}')).statusCode, 200);
      assert.equal((await req('DELETE', '/v1/settings/templates/refund.requested/zh-CN', 'admin')).statusCode, 204);
    });

    it('previews a draft or the text in force with sample variables', async () => {
      const draft = await req('POST', '/v1/settings/templates/contact.opened/en/preview', 'analyst', {
        subject: '[{shop}] {staffName} calls',
        text: '[{shop}] {staffName} ({team}) is calling about {orderId}. See {domain}',
      });
      assert.equal(draft.statusCode, 200, draft.body);
      assert.deepEqual(draft.json(), {
        subject: '[GoodShop] Wang calls',
        text: '[GoodShop] Wang (after-sales) is calling about D20260714001. See shop.example.com',
        characters: 81,
      });
      const inForce = (await req('POST', '/v1/settings/templates/incident.notice/zh-CN/preview', 'analyst', {})).json();
      assert.match(inForce.text, /^【好物店】我们发现7月1日至7月3日有人未经授权查看了部分订单信息（姓名、电话、商品）/);
      assert.equal(
        (await req('POST', '/v1/settings/templates/contact.opened/en/preview', 'analyst', { subject: 'x {shop}', text: '[{shop}] {pin}' })).statusCode,
        400,
      );
      assert.equal((await req('POST', '/v1/settings/templates/contact.opened/en/preview', 'analyst', { subject: 'only subject' })).statusCode, 400);
    });

    it('a notice carries the override once stored — refund warnings and incident notices — and the built-in text after a reset', async () => {
      const logFile = t.ctx.services.notify.config.logFile;
      const drain = async () => {
        for (let i = 0; i < 5; i++) if ((await t.ctx.services.notify.worker.runOnce()) === 0) return;
      };
      const lineOf = (noticeId: string) =>
        JSON.parse(
          readFileSync(logFile, 'utf8')
            .split('\n')
            .find((l) => l.includes(noticeId))!,
        ) as { subject: string; text: string };
      const noticeOf = (key: string) => t.database.db.selectFrom('notices').selectAll().where('idempotency_key', '=', key).executeTakeFirstOrThrow();

      const o = await req('PUT', '/v1/settings/templates/refund.requested/zh-CN', 'admin', {
        subject: '【{shop}】退款提醒',
        text: '【{shop}】订单{orderId}已申请退款。我们不会来电索要验证码。详情 {domain}',
      });
      assert.equal(o.statusCode, 200, o.body);
      assert.equal(o.json().override.text, '【{shop}】订单{orderId}已申请退款。我们不会来电索要验证码。详情 {domain}');
      await t.ctx.services.events.ingest([{ id: 'e-r1', type: 'refund.requested', at: iso(), refundId: 'r1', orderId: 'o1' }]);
      await drain();
      const n1 = await noticeOf('refund.requested:r1');
      assert.equal(n1.status, 'delivered');
      assert.deepEqual(lineOf(n1.id), {
        ...lineOf(n1.id),
        subject: '【好物店】退款提醒',
        text: '【好物店】订单o1已申请退款。我们不会来电索要验证码。详情 shop.example.com',
      });

      // An incident's notices (src/incidents) go through the same rendering.
      const e = await req('PUT', '/v1/settings/templates/incident.notice/en', 'admin', {
        subject: '[{shop}] Data notice',
        text: '[{shop}] Someone read your {fields} without authorisation. We never call about refunds.',
      });
      assert.equal(e.statusCode, 200, e.body);
      const T = Date.now() - 3_600_000;
      await t.ctx.services.events.ingest([
        { id: 'e-a1', type: 'data.accessed', at: iso(T), principalId: 'agent-z', customerId: 'c2', fields: ['name', 'phone'], channel: 'console' },
      ]);
      const inc = await req('POST', '/v1/incidents', 'analyst', {
        title: 'agent-z reads',
        principalIds: ['agent-z'],
        fields: ['name', 'phone'],
        from: iso(T - 60_000),
        to: iso(T + 60_000),
      });
      assert.equal(inc.statusCode, 201, inc.body);
      const id = inc.json().id as string;
      assert.equal((await req('POST', `/v1/incidents/${id}/contain`, 'analyst')).statusCode, 200);
      await t.ctx.services.incidents.notify(id, null);
      await drain();
      const n2 = await noticeOf(`incident:${id}:c2`);
      assert.equal(n2.status, 'delivered');
      assert.equal(lineOf(n2.id).text, '[GoodShop] Someone read your name, phone without authorisation. We never call about refunds.');

      assert.equal((await req('DELETE', '/v1/settings/templates/refund.requested/zh-CN', 'admin')).statusCode, 204);
      assert.equal((await req('DELETE', '/v1/settings/templates/refund.requested/zh-CN', 'admin')).statusCode, 404, 'no override left');
      await t.ctx.services.events.ingest([{ id: 'e-r2', type: 'refund.requested', at: iso(), refundId: 'r2', orderId: 'o1' }]);
      await drain();
      assert.match(lineOf((await noticeOf('refund.requested:r2')).id).text, /^【好物店】您的订单o1已提交退款申请/);

      const h = (await req('GET', '/v1/settings/changes?prefix=notify.template.refund.requested', 'admin')).json().items;
      assert.ok(h.length >= 3);
      assert.equal(h[0].after, null);
      assert.equal(h[0].before.subject, '【{shop}】退款提醒');
      assert.ok(h.every((c: { key: string }) => c.key === 'notify.template.refund.requested.zh-CN'));
    });
  });
}
