// Fingerprinted exports and leak attribution, courier-style: several partners receive
// overlapping exports; a leaked file from one of them is attributed to it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

const N_CUSTOMERS = 240;
const phoneOf = (i: number) => `139${String(10_000_000 + i * 7919).slice(-8)}`;
const VIRTUAL = Array.from({ length: 8 }, (_, i) => `+86 170 1000 00${String(i).padStart(2, '0')}`);
const WATCHED = Array.from({ length: 6 }, (_, i) => ({ phone: `1520000020${i}`, email: `li.na.${i}@example.net` }));
const at = (h: number) => new Date(Date.UTC(2026, 6, 1, h)).toISOString();

/** Orders o0..o239 for customers c0..c239; each courier ships an overlapping slice. */
const slice = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `o${from + i}`);
const COURIERS = { 'courier-sf': slice(0, 90), 'courier-yt': slice(60, 150), 'courier-zt': slice(120, 210) };

function toFullWidth(s: string) {
  return s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
}

for (const dialect of testDialects()) {
  describe(`fingerprinted exports and leak matching on ${dialect.name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, { areas: { canaries: { virtualNumbers: VIRTUAL, monitoredContacts: WATCHED.slice(3) } } });
      const events: unknown[] = [];
      for (let i = 0; i < N_CUSTOMERS; i++) {
        events.push({
          id: `c${i}`,
          type: 'customer.upserted',
          at: at(0),
          customerId: `c${i}`,
          name: `客户${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${i}`,
          phone: phoneOf(i),
          email: `user${i}@example.com`,
          address: { province: '浙江省', city: '杭州市', line: `文三路${i}号` },
        });
        events.push({
          id: `o${i}`,
          type: 'order.placed',
          at: at(1 + (i % 20)),
          orderId: `o${i}`,
          customerId: `c${i}`,
          items: [{ sku: 'S1', title: '电动牙刷', model: 'S3', color: '白色', price: 299, quantity: 1 }],
          total: 299,
        });
      }
      for (const p of Object.keys(COURIERS)) events.push({ id: `p-${p}`, type: 'principal.upserted', at: at(0), principalId: p, kind: 'partner', name: p });
      const r = await t.app.inject({ method: 'POST', url: '/v1/events', headers: t.auth('ingest'), payload: events as object[] });
      assert.equal(r.json().accepted, events.length, r.body);
    });
    after(async () => t.close());

    const exp = (payload: Record<string, unknown>, role: 'ingest' | 'analyst' = 'ingest') =>
      t.app.inject({ method: 'POST', url: '/v1/exports', headers: t.auth(role), payload });
    const match = (content: string, extra: Record<string, unknown> = {}) =>
      t.app.inject({ method: 'POST', url: '/v1/leaks/match', headers: t.auth('analyst'), payload: { content, ...extra } });
    const files = { sf: '', yt: '', zt: '' };
    const FIELDS = ['orderNo', 'name', 'phone', 'address', 'items', 'price', 'placedAt'];

    it('generates exports: records who received what through export.created, plants canary rows', async () => {
      // SF gets real phones with a canary row from the request; YT real phones with a pool canary; ZT tokens.
      const sf = await exp({
        exportId: 'exp-sf-1',
        recipientId: 'courier-sf',
        orderIds: COURIERS['courier-sf'],
        fields: FIELDS,
        canaryContacts: [WATCHED[0]],
        at: at(22),
      });
      assert.equal(sf.statusCode, 201, sf.body);
      const sfBody = sf.json();
      assert.equal(sfBody.export.canaryIds.length, 1);
      assert.equal(sfBody.file.contentType, 'text/csv; charset=utf-8');
      files.sf = sfBody.file.content;
      const lines = files.sf.trim().split('\r\n');
      assert.equal(lines[0], 'name,phone,address,items,price,placedAt,orderNo');
      assert.equal(lines.length, 1 + 90 + 1);
      assert.ok(files.sf.includes('15200000200'), 'the canary row carries its watched number');
      assert.ok(files.sf.includes(phoneOf(5)));

      const yt = await exp({ exportId: 'exp-yt-1', recipientId: 'courier-yt', orderIds: COURIERS['courier-yt'], fields: FIELDS, at: at(22) });
      assert.equal(yt.statusCode, 201, yt.body);
      assert.equal(yt.json().export.canaryIds.length, 1, 'one canary row from the configured pool by default');
      files.yt = yt.json().file.content;

      const zt = await exp({
        exportId: 'exp-zt-1',
        recipientId: 'courier-zt',
        orderIds: COURIERS['courier-zt'],
        fields: FIELDS,
        phone: 'token',
        format: 'json',
        canaryContacts: [WATCHED[1]],
        at: at(22),
      });
      assert.equal(zt.statusCode, 201, zt.body);
      files.zt = zt.json().file.content;
      const rows = JSON.parse(files.zt) as { phone: string; orderNo: string }[];
      assert.equal(rows.length, 91);
      assert.ok(rows.every((r) => /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(r.phone)));
      for (let i = 120; i < 210; i++) assert.ok(!files.zt.includes(phoneOf(i)), 'no real phone leaves in a token export');

      // The access log is the single source: one row per record, canary included, tagged with the export.
      const log = await t.database.db.selectFrom('access_log').select(['order_id', 'principal_id']).where('export_id', '=', 'exp-sf-1').execute();
      assert.equal(log.length, 91);
      assert.ok(log.every((r) => r.principal_id === 'courier-sf'));
      const canary = (await t.app.inject({ method: 'GET', url: `/v1/canaries/${sfBody.export.canaryIds[0]}`, headers: t.auth('analyst') })).json();
      assert.deepEqual(canary.scope, { kind: 'export', id: 'exp-sf-1' });
      assert.equal(canary.recipientId, 'courier-sf');
      assert.ok(log.some((r) => r.order_id === canary.orderIds[0]));
    });

    it('is idempotent on exportId and refuses the same id with other content', async () => {
      const again = await exp({
        exportId: 'exp-sf-1',
        recipientId: 'courier-sf',
        orderIds: COURIERS['courier-sf'],
        fields: FIELDS,
        canaryContacts: [WATCHED[0]],
        at: at(22),
      });
      assert.equal(again.statusCode, 200, again.body);
      assert.equal(again.json().file.content, files.sf);
      const log = await t.database.db.selectFrom('access_log').select('seq').where('export_id', '=', 'exp-sf-1').execute();
      assert.equal(log.length, 91);
      const other = await exp({ exportId: 'exp-sf-1', recipientId: 'courier-yt', orderIds: COURIERS['courier-sf'], fields: FIELDS });
      assert.equal(other.statusCode, 409);
      const unknown = await exp({ recipientId: 'courier-sf', orderIds: ['o1', 'no-such-order'], fields: FIELDS });
      assert.equal(unknown.statusCode, 400);
      const file = await t.app.inject({ method: 'GET', url: '/v1/exports/exp-sf-1/file', headers: t.auth('ingest') });
      assert.equal(file.body, files.sf);
      // The same new export sent three times at once: one export, one canary, one file.
      const payload = { exportId: 'exp-conc', recipientId: 'courier-sf', customerIds: ['c7', 'c8'], fields: ['name', 'phone'], canaryContacts: [WATCHED[2]] };
      const rs = await Promise.all([exp(payload), exp(payload), exp(payload)]);
      assert.deepEqual(rs.map((r) => r.statusCode).sort(), [200, 200, 201], rs.map((r) => r.body).join('\n'));
      assert.equal(new Set(rs.map((r) => r.json().file.content)).size, 1);
      assert.equal(new Set(rs.map((r) => r.json().export.canaryIds.join())).size, 1);
      const rows = await t.database.db.selectFrom('access_log').select('seq').where('export_id', '=', 'exp-conc').execute();
      assert.equal(rows.length, 3);
    });

    it('substitutes differ per recipient, are stable per recipient, and name the recipient', async () => {
      const a = await exp({
        exportId: 'exp-zt-2',
        recipientId: 'courier-zt',
        customerIds: ['c130', 'c131'],
        fields: ['name', 'phone'],
        phone: 'token',
        canaryRows: 0,
      });
      const b = await exp({
        exportId: 'exp-yt-2',
        recipientId: 'courier-yt',
        customerIds: ['c130', 'c131'],
        fields: ['name', 'phone'],
        phone: 'token',
        canaryRows: 0,
      });
      const tokA = a
        .json()
        .file.content.trim()
        .split('\r\n')
        .slice(1)
        .map((l: string) => l.split(',')[1]);
      const tokB = b
        .json()
        .file.content.trim()
        .split('\r\n')
        .slice(1)
        .map((l: string) => l.split(',')[1]);
      const zt1 = JSON.parse(files.zt) as { phone: string; orderNo: string }[];
      assert.equal(zt1.find((r) => r.orderNo === 'o130')!.phone, tokA[0], 'same recipient, same customer: same token');
      assert.notEqual(tokA[0], tokB[0]);
      const look = await t.app.inject({ method: 'GET', url: `/v1/exports/substitutes/${tokB[0].toLowerCase()}`, headers: t.auth('analyst') });
      assert.equal(look.statusCode, 200, look.body);
      assert.equal(look.json().items[0].recipientId, 'courier-yt');
      assert.ok(look.json().items[0].exports.includes('exp-yt-2'));

      // Virtual numbers from the rented pool: one binding per (recipient, customer).
      const v1 = await exp({
        exportId: 'exp-v-1',
        recipientId: 'courier-sf',
        customerIds: ['c1', 'c2', 'c3'],
        fields: ['name', 'phone'],
        phone: 'virtual',
        canaryRows: 0,
      });
      assert.equal(v1.statusCode, 201, v1.body);
      const nums = v1
        .json()
        .file.content.trim()
        .split('\r\n')
        .slice(1)
        .map((l: string) => l.split(',')[1]);
      assert.ok(nums.every((n: string) => /^1701000000\d$/.test(n)));
      assert.equal(new Set(nums).size, 3);
      const v2 = await exp({
        exportId: 'exp-v-2',
        recipientId: 'courier-yt',
        customerIds: ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'],
        fields: ['name', 'phone'],
        phone: 'virtual',
        canaryRows: 0,
      });
      assert.equal(v2.statusCode, 409, 'pool of 8 cannot hold 3 + 6 bindings');
      // A scam caller list holding the rented numbers names the recipient they were given to.
      const vm = (await match(nums.map((x: string, i: number) => `客户${i} ${x.slice(0, 3)}-${x.slice(3, 7)}-${x.slice(7)}`).join('\n'))).json();
      assert.deepEqual(vm.candidates[0].scope, { kind: 'principal', id: 'courier-sf' });
      assert.equal(vm.candidates[0].substituteHits, 3);
      assert.equal(vm.candidates[0].verdict, 'fingerprinted');
      const byNumber = await t.app.inject({
        method: 'GET',
        url: `/v1/exports/substitutes/${encodeURIComponent('+86 ' + nums[0])}`,
        headers: t.auth('analyst'),
      });
      assert.equal(byNumber.json().items[0].recipientId, 'courier-sf');
    });

    it('attributes a leaked file by its canary row (near-proof) and the trip names the export', async () => {
      const leaked = files.yt.split('\r\n').slice(0, 60).join('\n');
      const r = await match(leaked);
      assert.equal(r.statusCode, 200, r.body);
      const body = r.json();
      const top = body.candidates[0];
      // The canary of the YT export sits somewhere in the file; if it fell outside the slice, coverage alone decides.
      assert.deepEqual(top.scope, { kind: 'principal', id: 'courier-yt' });
      const full = (await match(files.yt)).json();
      assert.deepEqual(full.candidates[0].scope, { kind: 'principal', id: 'courier-yt' });
      assert.equal(full.candidates[0].verdict, 'fingerprinted');
      assert.equal(full.candidates[0].canaryHits.length, 1);
      assert.ok(full.candidates[0].score >= 6 + (full.candidates[1]?.score ?? 0));
      assert.equal(full.candidates[0].exports[0].exportId, 'exp-yt-1');

      const canaryId = full.candidates[0].canaryHits[0].canaryId;
      const trip = await t.app.inject({ method: 'POST', url: `/v1/canaries/${canaryId}/trips`, headers: t.auth('ingest'), payload: { channel: 'call' } });
      assert.equal(trip.statusCode, 201);
      assert.match(trip.json().message, /export exp-yt-1 \(received by principal courier-yt\)/);
      // What an investigation asks about a courier it cannot single out statistically.
      const ev = await t.ctx.services.canaries.tripsForPrincipals(['courier-yt', 'courier-sf']);
      assert.equal(ev.get('courier-yt')?.length, 1);
      assert.equal(ev.get('courier-yt')![0]!.scope.id, 'exp-yt-1');
      assert.equal(ev.has('courier-sf'), false);
    });

    it('attributes a reformatted leak without canary rows by coverage beyond chance', async () => {
      // SF's rows only, canary removed, phones respelled (+86, dashes, full-width), as TSV.
      const rows = files.sf
        .trim()
        .split('\r\n')
        .slice(1)
        .filter((l) => !l.includes('15200000200'));
      const tsv = rows.slice(40, 90).map((l, i) => {
        const [name, phone] = l.split(',');
        const p = i % 3 === 0 ? `+86 ${phone!.slice(0, 3)}-${phone!.slice(3, 7)}-${phone!.slice(7)}` : i % 3 === 1 ? toFullWidth(phone!) : `0086${phone}`;
        return `${name}\t${p}`;
      });
      const r = await match('姓名\t电话\n' + tsv.join('\n'));
      const body = r.json();
      assert.equal(body.matched.realCustomers, 50);
      assert.equal(body.matched.canaries, 0);
      const [top, second] = body.candidates;
      assert.deepEqual(top.scope, { kind: 'principal', id: 'courier-sf' });
      assert.equal(top.verdict, 'significant');
      assert.equal(top.coverage.covered, 50);
      assert.ok(top.coverage.pCorrected < 1e-6);
      // YT's export overlaps SF's (o60..o89): it covers many found customers, but none that SF does not
      // already explain, so it is not significant once SF is taken.
      assert.deepEqual(second.scope, { kind: 'principal', id: 'courier-yt' });
      assert.ok(second.coverage.covered >= 20);
      assert.equal(second.coverage.coveredUnexplained, 0);
      assert.equal(second.verdict, 'weak', JSON.stringify(second.coverage));
    });

    it('keeps two independent leakers both significant', async () => {
      const pick = (file: string, from: number, to: number) =>
        file.split('\r\n').filter((l) => {
          const m = l.match(/,o(\d+)$/);
          return m && Number(m[1]) >= from && Number(m[1]) < to;
        });
      const mixed = [...pick(files.sf, 0, 30), ...pick(files.yt, 90, 120)].join('\n');
      const body = (await match(mixed)).json();
      assert.equal(body.matched.realCustomers, 60);
      const sig = body.candidates
        .filter((c: { verdict: string }) => c.verdict === 'significant')
        .map((c: { scope: { id: string } }) => c.scope.id)
        .sort();
      assert.deepEqual(sig, ['courier-sf', 'courier-yt']);
    });

    it('attributes a token leak as JSON lines to the one recipient the tokens were given to', async () => {
      const rows = JSON.parse(files.zt) as Record<string, string>[];
      const jsonl = rows
        .slice(0, 30)
        .map((r) => JSON.stringify({ n: r.name, tel: r.phone }))
        .join('\n');
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1/leaks/match',
        headers: { ...t.auth('analyst'), 'content-type': 'application/jsonl' },
        payload: jsonl,
      });
      assert.equal(r.statusCode, 200, r.body);
      const top = r.json().candidates[0];
      assert.deepEqual(top.scope, { kind: 'principal', id: 'courier-zt' });
      assert.equal(top.verdict, 'fingerprinted');
      assert.ok(top.substituteHits >= 29);
    });

    it('finds nothing in a file of strangers, and says so', async () => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1/leaks/match',
        headers: { ...t.auth('analyst'), 'content-type': 'text/plain' },
        payload: '张三 13700001111\n李四 13700002222\n',
      });
      assert.equal(r.statusCode, 200, r.body);
      assert.equal(r.json().candidates.length, 0);
      assert.equal(r.json().matched.unmatchedRecords, 2);
      const logs = t.logs();
      for (const secret of ['13700001111', phoneOf(5), '15200000200', 'user5@example.com']) assert.ok(!logs.includes(secret), secret);
    });
    // last: this export adds a recipient, which would change the earlier matches' families
    it('a call to a substitute is recorded once and names the one recipient it was given to', async () => {
      const tok = await exp({
        exportId: 'exp-call-1',
        recipientId: 'courier-call',
        customerIds: ['c140', 'c141'],
        fields: ['name', 'phone'],
        phone: 'token',
        canaryRows: 0,
      });
      assert.equal(tok.statusCode, 201, tok.body);
      const value = tok.json().file.content.trim().split('\r\n')[1].split(',')[1] as string;
      const call = (payload: object, role: 'ingest' | 'analyst' = 'ingest') =>
        t.app.inject({ method: 'POST', url: '/v1/exports/substitutes/calls', headers: t.auth(role), payload });
      const first = await call({
        value: value.toLowerCase(),
        callId: 'line-7:call-1',
        channel: 'sms',
        from: '+86 171 0000 9999',
        at: '2026-11-20T08:00:00+08:00',
      });
      assert.equal(first.statusCode, 201, first.body);
      const a = first.json();
      assert.equal(a.call.recipientId, 'courier-call');
      assert.ok(['c140', 'c141'].includes(a.call.customerId));
      assert.equal(a.call.channel, 'sms');
      assert.equal(a.call.at, '2026-11-20T00:00:00.000Z');
      assert.deepEqual(a.exports, ['exp-call-1']);
      assert.match(a.message, /courier-call/);
      assert.ok(!first.body.includes('9999'), 'the calling number is kept as a blind index only');
      const again = await call({ value, callId: 'line-7:call-1', channel: 'sms' });
      assert.equal(again.statusCode, 200);
      assert.equal(again.json().duplicate, true);
      assert.equal(again.json().call.id, a.call.id);
      const unknown = await call({ value: 'FZ0000000000' });
      assert.equal(unknown.statusCode, 404);
      assert.equal(unknown.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal((await call({ value }, 'analyst')).statusCode, 403, 'only the shop line (ingest) or an admin reports calls');
      assert.equal((await call({ value: '' })).statusCode, 400);
      const list = await t.app.inject({ method: 'GET', url: '/v1/exports/substitutes/calls?recipientId=courier-call', headers: t.auth('analyst') });
      assert.equal(list.statusCode, 200, list.body);
      assert.deepEqual(
        list.json().items.map((c: { id: string }) => c.id),
        [a.call.id],
      );
      const none = await t.app.inject({ method: 'GET', url: '/v1/exports/substitutes/calls?recipientId=courier-sf', headers: t.auth('analyst') });
      assert.deepEqual(none.json().items, []);
    });
  });
}
