// `fanzha import-logs`: a sample of a staff console's nginx log (test/fixtures/access-logs) becomes
// data.accessed reads by the rules; what did not match is summarised without its ids; a second
// import of the same file stores nothing twice. The JSON format and the parsers are checked too.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { tempDir, testDialects } from '../../testing/dialects.ts';
import { importLogs } from './logs.import.ts';
import { loadRules, parseRules, RuleSet } from './logs.rules.ts';
import { COMBINED, nginxParser, timeLocalToIso } from './logs.parse.ts';
import { fanzha } from '../../testing/cli.ts';

const FIX = path.resolve('test/fixtures/access-logs');
const LOG = path.join(FIX, 'staff-console.nginx.log');
const RULES = path.join(FIX, 'staff-console.rules.json');

describe('access log parsing and rules', () => {
  it('reads nginx lines by their log_format, quoted values with spaces included', () => {
    const p = nginxParser(COMBINED);
    const r = p('1.2.3.4 - alice [14/Jul/2016:10:21:00 +0800] "GET /a/b?x=1 HTTP/1.1" 200 12 "-" "Mozilla/5.0 (X11; \\"quoted\\")"');
    assert.equal(r?.method, 'GET');
    assert.equal(r?.url, '/a/b?x=1');
    assert.equal(r?.at, '2016-07-14T10:21:00+08:00');
    assert.equal(r?.vars.remote_user, 'alice');
    assert.equal(p('garbage'), null);
    assert.equal(timeLocalToIso('31/Foo/2016:10:21:00 +0800'), undefined);
  });

  it('matches paths and query parameters, first rule first, and needs an id', () => {
    const rules = new RuleSet(loadRules(RULES));
    assert.equal(rules.match('GET', '/admin/orders/SO-1/refund')?.rule.purpose, 'refund page');
    assert.equal(rules.match('GET', '/admin/orders/SO%2D1')?.orderId, 'SO-1');
    assert.equal(rules.match('GET', '/admin/orders/search?customer=C-1')?.customerId, 'C-1');
    assert.equal(rules.match('GET', '/admin/orders/search'), null, 'no id, no read');
    assert.equal(rules.match('POST', '/admin/orders/SO-1'), null);
    assert.throws(() => parseRules('{"principal":"x","rules":[{"path":"/a","fields":["ssn"]}]}'), /rules file: \/rules\/0\/fields\/0/);
  });
});

for (const dialect of testDialects()) {
  describe(`import-logs (${dialect.name})`, () => {
    let t: TestApp;
    before(async () => (t = await createTestApp(dialect, { logLevel: 'warn' })));
    after(async () => t?.close());

    it('turns the sample nginx log into reads and summarises the rest', async () => {
      const s = await importLogs(t.ctx.services.events, LOG, { format: 'nginx', rules: loadRules(RULES) });
      assert.equal(s.lines, 11);
      assert.equal(s.reads, 5);
      assert.equal(s.accepted, 5);
      assert.deepEqual(s.unparsed, { count: 1, lines: [9] });
      assert.equal(s.skippedStatus, 1, 'the 404 showed nothing');
      assert.equal(s.noPrincipal, 1);
      assert.equal(s.unmatched.count, 3);
      assert.deepEqual(s.unmatched.top.map((u) => u.shape).sort(), ['GET /admin/dashboard', 'GET /static/:n', 'POST /admin/orders/:n/remark'].sort());
      assert.equal(s.rejected.length, 0);

      const reads = await t.database.db
        .selectFrom('access_log')
        .select(['principal_id', 'customer_id', 'order_id', 'channel', 'purpose', 'at'])
        .orderBy('at')
        .execute();
      assert.equal(reads.length, 5);
      assert.deepEqual(reads[0], {
        principal_id: 'kf-007',
        customer_id: null,
        order_id: 'SO-1001',
        channel: 'console',
        purpose: 'order page',
        at: Date.parse('2026-12-01T09:15:02+08:00'),
      });
      assert.equal(reads.find((r) => r.customer_id === 'C-77')?.principal_id, 'kf-012');
      assert.equal(reads.filter((r) => r.order_id === 'SO-1001').length, 2, 'the same page opened twice is two reads');

      const again = await importLogs(t.ctx.services.events, LOG, { format: 'nginx', rules: loadRules(RULES) });
      assert.equal(again.accepted, 0);
      assert.equal(again.duplicates, 5);
    });

    it('reads JSON lines with the keys the rules name', async () => {
      const file = path.join(tempDir(), 'access.jsonl');
      writeFileSync(
        file,
        [
          { ts: '2026-12-02T10:00:00+08:00', req: { method: 'GET', uri: '/admin/customers/C-9/info' }, status: 200, user: { id: 'kf-031' } },
          { ts: '2026-12-02T10:00:01+08:00', req: { method: 'GET', uri: '/admin/help' }, status: 200, user: { id: 'kf-031' } },
        ]
          .map((o) => JSON.stringify(o))
          .join('\n'),
      );
      const rules = parseRules(
        JSON.stringify({
          json: { time: 'ts', method: 'req.method', url: 'req.uri' },
          principal: 'user.id',
          rules: [{ path: '/admin/customers/:customerId/*', fields: ['name', 'phone'] }],
        }),
      );
      const s = await importLogs(t.ctx.services.events, file, { format: 'json', rules });
      assert.equal(s.accepted, 1);
      assert.equal(s.unmatched.count, 1);
      const read = await t.database.db.selectFrom('access_log').select(['principal_id', 'customer_id']).where('customer_id', '=', 'C-9').executeTakeFirst();
      assert.deepEqual(read, { principal_id: 'kf-031', customer_id: 'C-9' });
    });
  });
}

describe('fanzha import-logs (the command)', () => {
  it('prints the summary and exits 0', async () => {
    const dir = tempDir();
    const r = await fanzha(['import-logs', LOG, '--format', 'nginx', '--rules', RULES], {
      FANZHA_DATA_DIR: dir,
      FANZHA_DB: `sqlite:${path.join(dir, 'f.db')}`,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /lines 11, reads 5 \(accepted 5, duplicates 0, rejected 0\)/);
    assert.match(r.stderr, /unmatched 1× GET \/admin\/dashboard/);
    assert.doesNotMatch(r.stderr, /SO-1004/, 'no ids in the unmatched summary');
  });
});
