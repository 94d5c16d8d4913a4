// `fanzha leaks match FILE` end to end: the command run in-process (src/testing/cli.ts) over a
// database prepared in this test.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/config.ts';
import { createContext, closeContext } from '../app/bootstrap.ts';
import { AREAS } from '../app/areas.ts';
import { createLogger } from '../http/logger.ts';
import { tempDir } from '../testing/dialects.ts';
import { fanzha } from '../testing/cli.ts';
import { Writable } from 'node:stream';

describe('fanzha leaks match', () => {
  it('names the recipient of the export a leaked file came from', async () => {
    const dir = tempDir();
    const env = {
      FANZHA_DATA_DIR: dir,
      FANZHA_DB: `sqlite:${path.join(dir, 'f.db')}`,
      FANZHA_MASTER_KEY: randomBytes(32).toString('hex'),
      FANZHA_LOG_LEVEL: 'warn',
    };
    const ctx = await createContext(loadConfig(env), { areas: AREAS, logger: createLogger('warn', new Writable({ write: (_c, _e, cb) => cb() })) });
    let content: string;
    try {
      const events: unknown[] = [];
      for (let i = 0; i < 40; i++) {
        events.push({
          id: `c${i}`,
          type: 'customer.upserted',
          at: '2026-07-01T00:00:00Z',
          customerId: `c${i}`,
          name: `客户${i}`,
          phone: `1380000${String(1000 + i)}`,
        });
      }
      await ctx.services.events.ingest(events);
      const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `c${from + i}`);
      await ctx.services.exports.create({
        exportId: 'x-a',
        recipientId: 'partner-a',
        customerIds: ids(0, 20),
        fields: ['name', 'phone'],
        canaryContacts: [{ phone: '15100000001' }],
      });
      const b = await ctx.services.exports.create({
        exportId: 'x-b',
        recipientId: 'partner-b',
        customerIds: ids(15, 40),
        fields: ['name', 'phone'],
        canaryContacts: [{ phone: '15100000002' }],
      });
      content = b.file.content;
    } finally {
      await closeContext(ctx);
    }
    const file = path.join(dir, 'leak.csv');
    writeFileSync(file, content);
    const r = await fanzha(['leaks', 'match', file, '--json'], env);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.candidates[0].scope, { kind: 'principal', id: 'partner-b' });
    assert.equal(out.candidates[0].verdict, 'fingerprinted');
    const text = await fanzha(['leaks', 'match', file], env);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /1\. principal partner-b {2}score [\d.]+ {2}fingerprinted/);
    const list = await fanzha(['canaries', 'list'], env);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /export x-b → partner-b/);
  });
});
