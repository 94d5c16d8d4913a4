import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import type { Role } from '../http/roles.ts';

const T0 = Date.UTC(2026, 6, 15, 2);
const iso = (ms: number) => new Date(ms).toISOString();
const report = (phone: string, extra: Record<string, unknown> = {}) => ({
  contactAt: iso(T0),
  channel: 'call',
  knewFields: ['name', 'items'],
  scriptTags: ['refund-problem'],
  callerNumbers: [phone],
  ...extra,
});

for (const dialect of testDialects()) {
  describe(`case workflow on ${dialect.name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, { logLevel: 'warn' });
      const r = await t.ctx.services.events.ingest([
        { id: 'p-1', type: 'principal.upserted', at: iso(T0 - 7_200_000), principalId: 'agent-x', kind: 'staff', name: '王芳', team: '售后' },
        {
          id: 'c-1',
          type: 'customer.upserted',
          at: iso(T0 - 3_600_000),
          customerId: 'cu01',
          name: '测试',
          phone: '+8613800000001',
          address: { province: '广东省', city: '市', line: '路1号' },
          lang: 'zh-CN',
        },
        {
          id: 'r-1',
          type: 'data.accessed',
          at: iso(T0 - 1_800_000),
          principalId: 'agent-x',
          customerId: 'cu01',
          fields: ['name', 'phone'],
          channel: 'console',
        },
      ]);
      assert.equal(r.rejected.length, 0, JSON.stringify(r.rejected[0]));
    });
    after(async () => t.close());

    const submit = async (body: object) => {
      const r = await t.app.inject({ method: 'POST', url: '/v1/reports', headers: t.auth('agent'), payload: body });
      assert.equal(r.statusCode, 201, r.body);
      return r.json() as { reportId: string; caseId: string };
    };
    const req = (method: 'GET' | 'PATCH' | 'POST' | 'DELETE', url: string, payload?: object, role: Role = 'analyst') =>
      t.app.inject({ method, url, headers: t.auth(role), ...(payload ? { payload } : {}) });
    const timeline = async (id: string) => (await req('GET', `/v1/cases/${id}/timeline`)).json();

    it('moves a case through its statuses; resolving needs a resolution; every change is in its history with who made it', async () => {
      const { caseId } = await submit(report('13911110001'));
      const w0 = (await req('GET', `/v1/cases/${caseId}/workflow`)).json() as Record<string, unknown>;
      assert.deepEqual(
        { ...w0, id: undefined },
        { id: undefined, status: 'open', resolution: null, priority: 'normal', dueAt: null, assignee: null, assigneeName: null, tags: [] },
      );

      const noResolution = await req('PATCH', `/v1/cases/${caseId}/workflow`, { status: 'resolved' });
      assert.equal(noResolution.statusCode, 400);
      assert.match(noResolution.headers['content-type'] as string, /application\/problem\+json/);
      assert.equal(noResolution.json().type, 'https://fanzha.dev/problems/resolution-required');
      const strayResolution = await req('PATCH', `/v1/cases/${caseId}/workflow`, { status: 'waiting', resolution: 'false_positive' });
      assert.equal(strayResolution.statusCode, 400);
      const badResolution = await req('PATCH', `/v1/cases/${caseId}/workflow`, { status: 'resolved', resolution: 'bored' });
      assert.equal(badResolution.statusCode, 400);
      const ghost = await req('PATCH', `/v1/cases/${caseId}/workflow`, { assignee: { keyName: 'nobody at all' } });
      assert.equal(ghost.statusCode, 400, 'an assignee must be an active analyst key or a known principal');
      const agentKey = await req('PATCH', `/v1/cases/${caseId}/workflow`, { assignee: { keyName: 'test agent' } });
      assert.equal(agentKey.statusCode, 400, 'an agent key cannot be assigned cases');
      assert.equal((await req('PATCH', `/v1/cases/${caseId}/workflow`, { dueAt: 'soon' })).statusCode, 400);

      const due = iso(Date.now() + 86_400_000);
      const w1 = await req('PATCH', `/v1/cases/${caseId}/workflow`, {
        status: 'investigating',
        priority: 'high',
        dueAt: due,
        assignee: { keyName: 'test analyst' },
        tags: ['refund', ' wechat ', 'refund'],
      });
      assert.equal(w1.statusCode, 200, w1.body);
      assert.deepEqual(
        { ...(w1.json() as Record<string, unknown>), id: undefined },
        {
          id: undefined,
          status: 'investigating',
          resolution: null,
          priority: 'high',
          dueAt: due,
          assignee: { keyName: 'test analyst' },
          assigneeName: 'test analyst',
          tags: ['refund', 'wechat'],
        },
      );
      const byPrincipal = (await req('PATCH', `/v1/cases/${caseId}/workflow`, { assignee: { principalId: 'agent-x' } })).json();
      assert.deepEqual(byPrincipal.assignee, { principalId: 'agent-x' });
      assert.equal(byPrincipal.assigneeName, '王芳', 'a principal is shown by its display name');
      const resolved = await req(
        'PATCH',
        `/v1/cases/${caseId}/workflow`,
        { status: 'resolved', resolution: 'confirmed_scam', note: '已报警，警方受理。' },
        'admin',
      );
      assert.equal(resolved.statusCode, 200, resolved.body);
      assert.equal(resolved.json().resolution, 'confirmed_scam');

      const tl = await timeline(caseId);
      const hist = tl.entries.filter((e: { type: string }) => e.type === 'history');
      assert.deepEqual(
        hist.map((e: { kind: string }) => e.kind),
        ['status', 'priority', 'due', 'assignee', 'tags', 'assignee', 'status', 'note'],
      );
      assert.deepEqual(hist[0].by, { keyName: 'test analyst', principalId: null });
      assert.equal(hist[6].to, 'resolved');
      assert.equal(hist[6].detail.resolution, 'confirmed_scam');
      assert.equal(hist[6].by.keyName, 'test admin');
      assert.equal(hist[7].note, '已报警，警方受理。');
      assert.equal(tl.notes.length, 1);
      assert.equal(tl.notes[0].author.keyName, 'test admin');
      assert.ok(!Number.isNaN(Date.parse(tl.notes[0].at)));

      // Leaving 'resolved' clears the resolution (and the history keeps what it was).
      const back = (await req('PATCH', `/v1/cases/${caseId}/workflow`, { status: 'waiting' })).json();
      assert.equal(back.resolution, null);
      const last = (await timeline(caseId)).entries.at(-1);
      assert.deepEqual([last.kind, last.from, last.to, last.detail.previousResolution], ['status', 'resolved', 'waiting', 'confirmed_scam']);
    });

    it('reopens a resolved case when a report arrives on it, except a duplicate, whose history says why not', async () => {
      const { caseId } = await submit(report('13911110002'));
      assert.equal((await req('PATCH', `/v1/cases/${caseId}/workflow`, { status: 'resolved', resolution: 'false_positive' })).statusCode, 200);
      const again = await submit(report('139 1111 0002'));
      assert.equal(again.caseId, caseId);
      const w = (await req('GET', `/v1/cases/${caseId}/workflow`)).json();
      assert.deepEqual([w.status, w.resolution], ['open', null]);
      const reopened = (await timeline(caseId)).entries.at(-1);
      assert.deepEqual(
        [reopened.kind, reopened.from, reopened.to, reopened.detail.reportId, reopened.detail.previousResolution, reopened.by],
        ['reopened', 'resolved', 'open', again.reportId, 'false_positive', null],
      );

      assert.equal((await req('PATCH', `/v1/cases/${caseId}/workflow`, { status: 'resolved', resolution: 'duplicate' })).statusCode, 200);
      const third = await submit(report('+86 139 1111 0002'));
      const w2 = (await req('GET', `/v1/cases/${caseId}/workflow`)).json();
      assert.deepEqual([w2.status, w2.resolution], ['resolved', 'duplicate']);
      const kept = (await timeline(caseId)).entries.at(-1);
      assert.deepEqual([kept.kind, kept.detail.reportId, kept.detail.reason], ['kept-resolved', third.reportId, 'duplicate']);
    });

    it('lets only analysts and admins read or change cases: agents and other roles are refused', async () => {
      const { caseId } = await submit(report('13911110003'));
      for (const role of ['agent', 'ingest'] as Role[]) {
        assert.equal((await req('PATCH', `/v1/cases/${caseId}/workflow`, { status: 'investigating' }, role)).statusCode, 403, role);
        assert.equal((await req('POST', `/v1/cases/${caseId}/notes`, { body: 'x' }, role)).statusCode, 403, role);
        assert.equal((await req('POST', '/v1/cases/bulk', { ids: [caseId], priority: 'low' }, role)).statusCode, 403, role);
        assert.equal((await req('GET', '/v1/cases', undefined, role)).statusCode, 403, role);
        assert.equal((await req('POST', '/v1/case-filters', { name: 'x', query: {} }, role)).statusCode, 403, role);
      }
      assert.equal((await t.app.inject({ method: 'PATCH', url: `/v1/cases/${caseId}/workflow`, payload: { status: 'investigating' } })).statusCode, 401);
      assert.equal((await req('GET', `/v1/cases/${caseId}/workflow`)).json().status, 'open', 'nothing changed');
      assert.equal((await req('PATCH', '/v1/cases/case_nope/workflow', { status: 'investigating' })).statusCode, 404);
    });

    it('assigns and resolves in bulk; a bulk resolve without a resolution changes nothing', async () => {
      const a = (await submit(report('13911110004'))).caseId;
      const b = (await submit(report('13911110005'))).caseId;
      const refused = await req('POST', '/v1/cases/bulk', { ids: [a, b], status: 'resolved' });
      assert.equal(refused.statusCode, 400);
      const assigned = (await req('POST', '/v1/cases/bulk', { ids: [a, b, 'case_missing'], assignee: { keyName: 'test admin' }, priority: 'urgent' })).json();
      assert.deepEqual(assigned.updated.sort(), [a, b].sort());
      assert.deepEqual(assigned.failed, [{ id: 'case_missing', reason: 'not-found' }]);
      const done = (
        await req('POST', '/v1/cases/bulk', { ids: [a, b], status: 'resolved', resolution: 'insufficient_information', note: 'Bulk triage' })
      ).json();
      assert.deepEqual(done.updated.sort(), [a, b].sort());
      for (const id of [a, b]) {
        const w = (await req('GET', `/v1/cases/${id}/workflow`)).json();
        assert.deepEqual([w.status, w.resolution, w.priority, w.assignee], ['resolved', 'insufficient_information', 'urgent', { keyName: 'test admin' }]);
        const kinds = (await timeline(id)).entries.map((e: { kind: string }) => e.kind);
        assert.deepEqual(kinds, ['priority', 'assignee', 'status', 'note']);
      }
    });

    it('lists cases for triage with saved filters (mine, overdue, own), sorting and server-side pagination', async () => {
      const mine = (await submit(report('13911110006', { payments: [{ amount: 900, method: 'alipay', payeeAccount: '6222000011112222' }] }))).caseId;
      const late = (await submit(report('13911110007', { payments: [{ amount: 12000, method: 'bank-transfer', payeeAccount: '6222000011113333' }] }))).caseId;
      await req('PATCH', `/v1/cases/${mine}/workflow`, { assignee: { keyName: 'test analyst' }, status: 'investigating' });
      await req('PATCH', `/v1/cases/${late}/workflow`, { dueAt: iso(Date.now() - 3_600_000), assignee: { keyName: 'test admin' } });

      const my = (await req('GET', '/v1/cases?filter=mine')).json();
      assert.ok(my.items.some((c: { id: string }) => c.id === mine));
      assert.ok(my.items.every((c: { assignee: { keyName?: string }; status: string }) => c.assignee?.keyName === 'test analyst' && c.status !== 'resolved'));
      const adminsMine = (await req('GET', '/v1/cases?filter=mine', undefined, 'admin')).json();
      assert.ok(
        adminsMine.items.some((c: { id: string }) => c.id === late) && !adminsMine.items.some((c: { id: string }) => c.id === mine),
        '"mine" is the caller\'s',
      );
      const overdue = (await req('GET', '/v1/cases?filter=overdue')).json();
      assert.deepEqual(
        overdue.items.map((c: { id: string }) => c.id),
        [late],
      );
      assert.equal(overdue.items[0].overdue, true);

      const page1 = (await req('GET', '/v1/cases?sort=loss&order=desc&limit=2')).json();
      assert.ok(page1.total >= 7);
      assert.equal(page1.items.length, 2);
      assert.equal(page1.items[0].id, late);
      assert.deepEqual(page1.items[0].loss, { currency: 'CNY', total: 12000 });
      assert.equal(page1.items[0].victims, 1);
      assert.equal(page1.items[0].lastContact, iso(T0));
      assert.ok(page1.items[0].mainIndicator);
      assert.equal(page1.items[0].tier, 'suspected');
      const page2 = (await req('GET', '/v1/cases?sort=loss&order=desc&limit=2&offset=2')).json();
      assert.ok(!page2.items.some((c: { id: string }) => page1.items.some((p: { id: string }) => p.id === c.id)));
      const asc = (await req('GET', '/v1/cases?sort=loss&order=asc&limit=500')).json();
      const losses = asc.items.map((c: { loss: { total: number } }) => c.loss.total);
      assert.deepEqual(
        losses,
        [...losses].sort((x, y) => x - y),
      );
      const byIndicator = (await req('GET', '/v1/cases?indicator=11113333')).json();
      assert.deepEqual(
        byIndicator.items.map((c: { id: string }) => c.id),
        [late],
      );
      const resolvedOnly = (await req('GET', '/v1/cases?status=resolved&limit=500')).json();
      assert.ok(resolvedOnly.items.length >= 2 && resolvedOnly.items.every((c: { status: string }) => c.status === 'resolved'));

      const saved = await req('POST', '/v1/case-filters', { name: 'Big losses', query: { minLoss: 10000, sort: 'loss' } });
      assert.equal(saved.statusCode, 201, saved.body);
      const big = (await req('GET', `/v1/cases?filter=${saved.json().id}`)).json();
      assert.deepEqual(
        big.items.map((c: { id: string }) => c.id),
        [late],
      );
      const names = (await req('GET', '/v1/case-filters')).json().map((f: { id: string }) => f.id);
      assert.deepEqual(names, ['mine', 'overdue', 'unassigned', saved.json().id]);
      assert.equal((await req('GET', `/v1/cases?filter=${saved.json().id}`, undefined, 'admin')).statusCode, 404, "another key's filter is not found");
      assert.equal((await req('DELETE', `/v1/case-filters/${saved.json().id}`, undefined, 'admin')).statusCode, 404);
      assert.equal((await req('DELETE', `/v1/case-filters/${saved.json().id}`)).statusCode, 204);
    });

    it("shows the case's investigations and the incidents opened from them in its timeline; their lists filter, sort and page on the server", async () => {
      const { caseId } = await submit(report('13911110008', { customerId: 'cu01' }));
      const inv = await req('POST', '/v1/investigations', { caseId });
      assert.equal(inv.statusCode, 201, inv.body);
      const invId = inv.json().id as string;
      const inc = await req('POST', '/v1/incidents', { investigationId: invId, principalIds: ['agent-x'] });
      assert.equal(inc.statusCode, 201, inc.body);
      const tl = await timeline(caseId);
      const i = tl.entries.find((e: { type: string }) => e.type === 'investigation');
      assert.equal(i.ref, invId);
      assert.equal(i.victims, 1);
      const n = tl.entries.find((e: { type: string }) => e.type === 'incident');
      assert.equal(n.ref, inc.json().id);
      assert.deepEqual(n.principalIds, ['agent-x']);
      assert.equal(n.detail.investigationId, invId);
      assert.deepEqual(tl.principals, { 'agent-x': '王芳' }, 'principals come with their display names');

      // The investigations and incidents lists: filtered, sorted and paged on the server, linking to the case.
      const other = await req('POST', '/v1/investigations', { victims: [{ customerId: 'cu01', contactAt: iso(T0), knewFields: ['name'] }] });
      assert.equal(other.statusCode, 201, other.body);
      assert.equal((await req('GET', `/v1/investigations/${invId}`)).json().caseId, caseId, 'the investigation names its case');
      assert.equal((await req('GET', `/v1/investigations/${other.json().id}`)).json().caseId, null);
      const ofCase = await req('GET', `/v1/investigations?caseId=${caseId}`);
      assert.equal(ofCase.headers['x-total-count'], '1');
      assert.deepEqual(
        ofCase.json().map((x: { id: string; caseId: string }) => [x.id, x.caseId]),
        [[invId, caseId]],
      );
      const all = await req('GET', '/v1/investigations?limit=1&sort=created&order=asc');
      assert.equal(all.headers['x-total-count'], '2');
      assert.deepEqual(
        all.json().map((x: { id: string }) => x.id),
        [invId],
      );
      const second = await req('GET', '/v1/investigations?limit=1&offset=1&sort=created&order=asc');
      assert.deepEqual(
        second.json().map((x: { id: string }) => x.id),
        [other.json().id],
      );
      assert.equal((await req('GET', '/v1/investigations?sort=bogus')).statusCode, 400);
      const manual = await req('POST', '/v1/incidents', {
        title: 'By hand',
        principalIds: ['agent-x'],
        fields: ['phone'],
        from: iso(T0 - 86_400_000),
        to: iso(T0),
      });
      assert.equal(manual.statusCode, 201, manual.body);
      const fromInv = await req('GET', '/v1/incidents?source=investigation');
      assert.equal(fromInv.headers['x-total-count'], '1');
      assert.deepEqual(
        fromInv.json().map((x: { id: string }) => x.id),
        [inc.json().id],
      );
      const paged = await req('GET', '/v1/incidents?limit=1&sort=created&order=desc');
      assert.equal(paged.headers['x-total-count'], '2');
      assert.deepEqual(
        paged.json().map((x: { id: string }) => x.id),
        [manual.json().id],
      );
      assert.equal((await req('GET', '/v1/incidents?state=open&source=manual')).json().length, 1);
      assert.equal((await req('GET', '/v1/incidents', undefined, 'agent')).statusCode, 403);
    });
  });
}
