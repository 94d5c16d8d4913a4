// /openapi.json is a valid OpenAPI 3.0.3 document (checked by an independent validator,
// @apidevtools/swagger-parser), says the truth about authentication, optional parameters, media
// types and errors, and every answer the server gives to representative requests — happy paths,
// and every route called without a key, with the wrong role and with ids that name nothing —
// matches it: the status is documented for that route and the body validates against the
// document's own schema for that status and media type (ajv, compiled from the document).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import SwaggerParser from '@apidevtools/swagger-parser';
import AjvModule from 'ajv';
import addFormats from 'ajv-formats';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { ROLES } from './roles.ts';

const [sqlite] = testDialects();
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };
type Operation = {
  security?: unknown[];
  parameters?: { in: string; name: string; required?: boolean; schema?: { default?: unknown } }[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};
const iso = (ago = 0) => new Date(Date.now() - ago).toISOString();

/** Walks a JSON value, calling `visit` on every object. */
function walk(v: unknown, visit: (o: Record<string, unknown>, path: string) => void, path = '#') {
  if (!v || typeof v !== 'object') return;
  if (!Array.isArray(v)) visit(v as Record<string, unknown>, path);
  for (const [k, x] of Object.entries(v)) walk(x, visit, `${path}/${k}`);
}

describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: Doc;
  let ajv: InstanceType<typeof AjvModule.default>;
  const checked = new Map<string, Set<number>>();
  const templates: { re: RegExp; path: string }[] = [];

  before(async () => {
    t = await createTestApp(sqlite!, { logLevel: 'warn' });
    doc = (await t.app.inject('/openapi.json')).json();
    // OpenAPI 3.0 schemas are a JSON Schema dialect: `nullable`, `example` and the binary format
    ajv = new AjvModule.default({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addFormat('binary', true);
    ajv.addSchema({ $id: 'doc.json', components: doc.components }, 'doc.json');
    for (const p of Object.keys(doc.paths)) templates.push({ path: p, re: new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+').replace(/\./g, '\\.')}$`) });
  });
  after(async () => t.close());

  /** `nullable: true` (OpenAPI 3.0) as JSON Schema, and component references into doc.json. */
  const toJsonSchema = (s: unknown): unknown => {
    if (Array.isArray(s)) return s.map(toJsonSchema);
    if (!s || typeof s !== 'object') return s;
    const o = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, k === '$ref' ? `doc.json${v}` : toJsonSchema(v)])) as Record<string, unknown>;
    if (o.nullable === true) {
      delete o.nullable;
      return { anyOf: [o, { type: 'null' }] };
    }
    return o;
  };

  /** Sends a request and checks its answer against the document. */
  async function call(opts: { method: string; url: string; headers?: Record<string, string>; payload?: unknown }) {
    const r = await t.app.inject({ method: opts.method as 'GET', url: opts.url, headers: opts.headers, payload: opts.payload as string });
    const pathname = opts.url.split('?')[0]!;
    // a literal segment wins over a parameter (/v1/customers/lookup before /v1/customers/{id})
    const tpl = templates
      .filter((x) => x.re.test(pathname) && doc.paths[x.path]![opts.method.toLowerCase()])
      .sort((a, b) => a.path.split('{').length - b.path.split('{').length)[0];
    assert.ok(tpl, `${opts.method} ${pathname} is in the document`);
    const op = doc.paths[tpl.path]![opts.method.toLowerCase()];
    assert.ok(op, `${opts.method} ${tpl.path} is in the document`);
    const where = `${opts.method} ${tpl.path} → ${r.statusCode}`;
    const resp = op.responses[String(r.statusCode)];
    assert.ok(resp, `${where} is documented (documented: ${Object.keys(op.responses).join(', ')}); body ${r.body.slice(0, 300)}`);
    if (!checked.has(tpl.path + ' ' + opts.method)) checked.set(tpl.path + ' ' + opts.method, new Set());
    checked.get(tpl.path + ' ' + opts.method)!.add(r.statusCode);
    if (r.statusCode === 204 || r.statusCode === 304) return r;
    const mediaType = String(r.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim();
    const media = resp.content?.[mediaType];
    assert.ok(media, `${where} answers ${mediaType}, documented: ${Object.keys(resp.content ?? {}).join(', ')}`);
    const isJson = /json$/.test(mediaType);
    const body = isJson ? r.json() : r.body;
    const validate = ajv.compile(toJsonSchema(media.schema) as object);
    assert.ok(validate(body), `${where} body matches the document: ${ajv.errorsText(validate.errors)}; body ${r.body.slice(0, 300)}`);
    return r;
  }

  it('is a valid OpenAPI 3.0.3 document (independent validator)', async () => {
    assert.equal((doc as unknown as { openapi: string }).openapi, '3.0.3');
    await SwaggerParser.validate(structuredClone(doc) as never);
    walk(doc, (o, path) => {
      assert.notEqual(typeof o.exclusiveMinimum, 'number', `${path}: numeric exclusiveMinimum is not OpenAPI 3.0`);
      assert.notEqual(typeof o.exclusiveMaximum, 'number', `${path}: numeric exclusiveMaximum is not OpenAPI 3.0`);
    });
  });

  it('marks public routes public and documents every problem answer', () => {
    for (const r of t.app.routeList.filter((x) => x.url.startsWith('/v1/') && x.method !== 'OPTIONS')) {
      const op = doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()];
      assert.ok(op, `${r.method} ${r.url} is documented`);
      if (r.auth === 'public') assert.deepEqual(op.security, [], `${r.method} ${r.url} is public`);
      else {
        assert.equal(op.security, undefined, `${r.method} ${r.url} takes the document's bearer key`);
        for (const s of ['401', '403']) assert.ok(op.responses[s], `${r.method} ${r.url} documents ${s}`);
      }
      const problems = Object.entries(op.responses).filter(([s]) => Number(s) >= 400);
      assert.ok(problems.length >= 2, `${r.method} ${r.url} documents its errors`);
      for (const [s, resp] of problems)
        assert.deepEqual(resp.content, { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } }, `${r.method} ${r.url} ${s}`);
      for (const p of op.parameters ?? [])
        assert.ok(!(p.required && p.in === 'query' && p.schema?.default !== undefined), `${r.method} ${r.url}: ${p.name} has a default, so it is optional`);
    }
    const reports = doc.paths['/v1/reports']!.post!.requestBody!.content['application/json'] as { schema: { required: string[] } };
    assert.deepEqual(reports.schema.required.sort(), ['channel', 'contactAt']);
    const events = doc.paths['/v1/events']!.post!.requestBody!.content as Record<
      string,
      { schema: { anyOf?: { title: string }[]; items?: { anyOf: { title: string }[] } } }
    >;
    assert.ok(events['application/x-ndjson'], 'NDJSON is documented');
    assert.deepEqual(
      events['application/json']!.schema.items!.anyOf.map((s) => s.title),
      events['application/x-ndjson']!.schema.anyOf!.map((s) => s.title),
    );
    assert.equal(events['application/json']!.schema.items!.anyOf.length, 10, 'one schema per event type');
    assert.deepEqual(Object.keys(doc.paths['/v1/passwords/range/{prefix}']!.get!.responses['200']!.content!), ['text/plain']);
  });

  it('every answer to representative requests matches the document', async () => {
    const ingest = t.auth('ingest');
    const admin = t.auth('admin');
    const analyst = t.auth('analyst');
    const agentKey = (await t.ctx.services.apiKeys.create({ role: 'agent', name: 'desk', principalId: 'staff-1' })).key;
    const agent = { authorization: `Bearer ${agentKey}` };
    const events = [
      { id: 'p1', type: 'principal.upserted', at: iso(), principalId: 'staff-1', kind: 'staff', name: '王芳', team: '售后' },
      { id: 'c1', type: 'customer.upserted', at: iso(), customerId: 'c1', name: '刘小明', phone: '13812345678' },
      { id: 'o1', type: 'order.placed', at: iso(), orderId: 'o1', customerId: 'c1', items: [{ sku: 'A', title: 'x', price: 1, quantity: 1 }], total: 1 },
      { id: 'a1', type: 'data.accessed', at: iso(), principalId: 'staff-1', orderId: 'o1', fields: ['name', 'phone'], channel: 'console' },
      { id: 'bad', type: 'data.accessed', at: iso(), principalId: 'staff-1', fields: ['name'], channel: 'console' },
    ];
    const ingested = await call({ method: 'POST', url: '/v1/events', headers: ingest, payload: events });
    assert.equal(ingested.json().accepted, 4);
    await call({
      method: 'POST',
      url: '/v1/events',
      headers: { ...ingest, 'content-type': 'application/x-ndjson' },
      payload: events.map((e) => JSON.stringify({ ...e, id: `n-${e.id}` })).join('\n'),
    });
    await call({ method: 'POST', url: '/v1/events', headers: { ...ingest, 'content-type': 'text/csv' }, payload: 'a,b' });
    await call({ method: 'POST', url: '/v1/events', headers: { ...ingest, 'content-type': 'application/json' }, payload: '{"not json' });
    await call({ method: 'GET', url: '/v1/customers/c1', headers: agent });
    await call({ method: 'GET', url: '/v1/orders/o1', headers: agent });
    await call({ method: 'GET', url: '/v1/customers?limit=5', headers: admin });
    await call({ method: 'GET', url: '/v1/check?phone=13800000000' });
    await call({ method: 'GET', url: '/v1/check' });
    await call({ method: 'POST', url: '/v1/links/check', payload: { urls: ['https://example.com/x'] } });
    await call({ method: 'GET', url: '/v1/passwords/range/5BAA6' });
    await call({ method: 'GET', url: '/v1/passwords/range/zz' });
    const report = {
      contactAt: iso(3600_000),
      channel: 'call',
      callerNumbers: ['+8613900000000'],
      knewFields: ['name', 'items'],
      orderIds: ['o1'],
      payments: [{ amount: 10, method: 'alipay' }],
    };
    await call({ method: 'POST', url: '/v1/reports', payload: report });
    const staffReport = await call({ method: 'POST', url: '/v1/reports', headers: agent, payload: { ...report, clientId: 'r-1' } });
    await call({ method: 'GET', url: `/v1/reports/${staffReport.json().reportId}`, headers: analyst });
    await call({ method: 'GET', url: '/v1/cases', headers: analyst });
    await call({ method: 'GET', url: `/v1/cases/${staffReport.json().caseId}`, headers: analyst });
    await call({ method: 'GET', url: `/v1/cases/${staffReport.json().caseId}/stix`, headers: analyst });
    await call({ method: 'GET', url: `/v1/cases/${staffReport.json().caseId}/casefile`, headers: analyst });
    await call({ method: 'GET', url: '/v1/exports/reports.csv', headers: analyst });
    await call({ method: 'GET', url: '/v1/feeds/phones?format=text', headers: analyst });
    await call({ method: 'GET', url: '/v1/feeds/phones', headers: analyst });
    await call({ method: 'GET', url: '/v1/stats/reports', headers: analyst });
    const contact = await call({
      method: 'POST',
      url: '/v1/contacts',
      headers: agent,
      payload: { customerId: 'c1', orderId: 'o1', channel: 'phone', reason: '退款核实' },
    });
    await call({ method: 'PATCH', url: `/v1/contacts/${contact.json().id}`, headers: agent, payload: { status: 'ringing' } });
    await call({ method: 'GET', url: '/v1/customers/c1/contact-status', headers: ingest });
    await call({ method: 'POST', url: '/v1/logins/evaluate', headers: ingest, payload: { username: 'a@example.cn', ip: '198.51.100.1', deviceId: 'd1' } });
    await call({
      method: 'POST',
      url: '/v1/logins/result',
      headers: ingest,
      payload: { username: 'a@example.cn', ip: '198.51.100.1', deviceId: 'd1', outcome: 'success' },
    });
    await call({
      method: 'POST',
      url: '/v1/investigations',
      headers: analyst,
      payload: { victims: [{ orderId: 'o1', contactAt: iso(), knewFields: ['name', 'items'] }] },
    });
    await call({ method: 'GET', url: '/v1/investigations', headers: analyst });
    await call({ method: 'GET', url: '/v1/audit/entries?limit=5', headers: admin });
    await call({ method: 'GET', url: '/v1/keys', headers: admin });
    await call({ method: 'GET', url: '/v1/settings/masking', headers: admin });
    await call({ method: 'GET', url: '/v1/console/features' });
    await call({ method: 'GET', url: '/v1/notifications', headers: admin });
    await call({ method: 'GET', url: '/v1/incidents', headers: admin });
    await call({ method: 'GET', url: '/v1/exports', headers: admin });
    await call({ method: 'GET', url: '/v1/canaries', headers: admin });
    await call({ method: 'GET', url: '/v1/warning-list', headers: admin });
    await call({ method: 'GET', url: '/v1/stix/extensions/x-fanzha-observables-1.0.json' });

    // every route: no key, the wrong role, and an allowed role with ids that name nothing
    // (mismatches are collected, so one run names them all)
    const mismatches: string[] = [];
    const sweep = (o: Parameters<typeof call>[0]) => call(o).catch((e: Error) => void mismatches.push(e.message.split('\n')[0]!));
    for (const r of t.app.routeList.filter((x) => x.url.startsWith('/v1/') && x.method !== 'OPTIONS')) {
      const url = r.url.replace(/:(\w+)/g, 'nothing-$1');
      const payload = ['GET', 'DELETE'].includes(r.method) ? undefined : {};
      await sweep({ method: r.method, url, payload });
      if (r.auth === 'public') continue;
      const allowed = (r.auth as { roles: string[] }).roles;
      const wrong = ROLES.find((x) => !allowed.includes(x));
      if (wrong) await sweep({ method: r.method, url, headers: t.auth(wrong), payload });
      await sweep({ method: r.method, url, headers: t.auth(allowed[0] as never), payload });
    }
    assert.deepEqual(mismatches, []);
    const statuses = new Set([...checked.values()].flatMap((s) => [...s]));
    for (const s of [200, 201, 204, 400, 401, 403, 404, 415]) assert.ok(statuses.has(s), `a ${s} answer was checked`);
  });
});
