// `fanzha incidents …` end to end: commands run in-process (src/testing/cli.ts) over a database
// prepared in this test.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../config/config.ts';
import { createContext, closeContext } from '../app/bootstrap.ts';
import { AREAS } from '../app/areas.ts';
import { createLogger } from '../http/logger.ts';
import { tempDir } from '../testing/dialects.ts';
import { fanzha } from '../testing/cli.ts';

describe('fanzha incidents', () => {
  it('creates, shows, contains, notifies and reports (Markdown and PDF)', async () => {
    const dir = tempDir();
    const env = {
      FANZHA_DATA_DIR: dir,
      FANZHA_DB: `sqlite:${path.join(dir, 'f.db')}`,
      FANZHA_MASTER_KEY: randomBytes(32).toString('hex'),
      FANZHA_LOG_LEVEL: 'warn',
    };
    const ctx = await createContext(loadConfig(env), { areas: AREAS, logger: createLogger('warn', new Writable({ write: (_c, _e, cb) => cb() })) });
    const at = '2026-10-01T01:00:00.000Z';
    await ctx.services.events.ingest([
      {
        id: 'c1',
        type: 'customer.upserted',
        at,
        customerId: 'cu1',
        name: '测试',
        phone: '+8613800000001',
        address: { province: '广东省', city: '深圳市', line: '路1号' },
      },
      { id: 'r1', type: 'data.accessed', at, principalId: 'agent-x', customerId: 'cu1', fields: ['name', 'phone'], channel: 'console' },
    ]);
    await closeContext(ctx);
    const run = async (...args: string[]) => {
      const r = await fanzha(['incidents', ...args], env);
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    };
    const created = await run(
      'create',
      '--title',
      'agent x',
      '--principals',
      'agent-x',
      '--fields',
      'phone',
      '--from',
      '2026-09-01T00:00:00Z',
      '--to',
      '2026-10-02T00:00:00Z',
    );
    const id = /^opened (inc_\S+)/.exec(created)![1]!;
    assert.match(created, /open\s+1 affected/);
    assert.match(await run('contain', id), /contained/);
    assert.equal(JSON.parse(await run('notify', id)).enqueued, 1);
    const show = JSON.parse(await run('show', id, '--json'));
    assert.equal(show.state, 'notified');
    assert.ok(show.events.every((e: { byKey: string }) => e.byKey.startsWith('cli:')));
    assert.match(await run('list'), new RegExp(id));
    assert.match(await run('report', id), /个人可以采取的减轻危害的措施/);
    const pdf = path.join(dir, 'r.pdf');
    await run('report', id, '--kind', 'postmortem', '--pdf', pdf);
    assert.ok(existsSync(pdf) && readFileSync(pdf).subarray(0, 5).toString() === '%PDF-');
  });
});
