// The log still verifies after appending processes are killed with SIGKILL, and every entry whose
// append was acknowledged (its transaction committed) is present.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { sql } from 'kysely';
import { testDialects, PG_URL, tempDir } from '../testing/dialects.ts';
import { openDatabase, migrateToLatest } from '../db/database.ts';
import { verifyStoredLog } from './verify.ts';

const child = fileURLToPath(new URL('./crash-child.test-helper.ts', import.meta.url));

function runAndKill(env: Record<string, string>, acksBeforeKill: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: string[] = [];
    let buf = '';
    let killed = false;
    p.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      acks.push(...lines.filter((l) => l.startsWith('ack ')));
      if (!killed && acks.length >= acksBeforeKill) {
        killed = true;
        p.kill('SIGKILL');
      }
    });
    p.stderr.on('data', () => {});
    p.on('error', reject);
    p.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(acks) : reject(new Error(`child exited without being killed (${_code})`))));
  });
}

for (const dialect of testDialects()) {
  describe(`access log under SIGKILL on ${dialect.name}`, () => {
    it('verifies after two appending processes are killed mid-append, with every acknowledged entry present', async () => {
      const key = randomBytes(32);
      let database;
      let env: Record<string, string>;
      if (dialect.name === 'sqlite') {
        const file = path.join(tempDir(), 'crash.db');
        database = openDatabase({ kind: 'sqlite', path: file });
        await migrateToLatest(database);
        env = { CRASH_DB: file };
      } else {
        database = await dialect.open();
        const s = await sql<{ s: string }>`SELECT current_schema() AS s`.execute(database.db);
        env = { CRASH_DB: PG_URL!, CRASH_SCHEMA: s.rows[0]!.s };
      }
      try {
        const all: string[] = [];
        for (let round = 0; round < 2; round++) {
          const acks = await Promise.all([
            runAndKill({ ...env, CRASH_KEY: key.toString('hex'), CRASH_NAME: `a${round}` }, 150 + round * 37),
            runAndKill({ ...env, CRASH_KEY: key.toString('hex'), CRASH_NAME: `b${round}` }, 90 + round * 53),
          ]);
          all.push(...acks.flat());
          const r = await verifyStoredLog(database, key);
          assert.equal(r.intact, true, JSON.stringify(r));
        }
        const rows = await database.db.selectFrom('access_log').select(['event_id', 'purpose']).execute();
        const events = new Set(rows.map((r) => r.event_id));
        const purposes = new Set(rows.map((r) => r.purpose));
        const missing = all.filter((a) => {
          const [, kind, marker] = a.split(' ');
          return kind === 'event' ? !events.has(marker!) : !purposes.has(marker!);
        });
        assert.ok(all.length >= 400, `only ${all.length} acknowledged appends`);
        assert.deepEqual(missing, []);
      } finally {
        await database.close();
      }
    });
  });
}
