// The CLI end to end on a SQLite file: import, verify (exit 0), export checkpoints, tamper with the
// database directly, verify against the exported checkpoints (exit 1 with the position). Commands
// run in-process (src/testing/cli.ts), each opening the database afresh as a separate run would.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { tempDir } from '../testing/dialects.ts';
import { fanzha } from '../testing/cli.ts';

describe('fanzha audit CLI', () => {
  it('verifies, exports checkpoints, and reports a direct database edit at its position', async () => {
    const dir = tempDir();
    const env = { FANZHA_DATA_DIR: dir, FANZHA_DB: `sqlite:${path.join(dir, 'f.db')}`, FANZHA_LOG_LEVEL: 'warn' };
    const run = (...args: string[]) => fanzha(args, env);
    const events = Array.from({ length: 12 }, (_, i) =>
      JSON.stringify({
        id: `a${i}`,
        type: 'data.accessed',
        at: '2026-07-14T10:00:00+08:00',
        principalId: 'p1',
        orderId: `o${i}`,
        fields: ['name'],
        channel: 'console',
      }),
    );
    writeFileSync(path.join(dir, 'ev.ndjson'), events.join('\n') + '\n');
    assert.equal((await run('import', path.join(dir, 'ev.ndjson'))).status, 0);
    const cp = await run('audit', 'checkpoint');
    assert.equal(cp.status, 0, cp.stderr);
    assert.match(cp.stdout, /^fanzha\.local\/access-log\n12\n/);
    // nothing is older than the retention: the prune verifies, removes nothing and says so
    const prune = await run('audit', 'prune');
    assert.equal(prune.status, 0, prune.stderr);
    assert.match(prune.stdout, /^nothing recorded before \d{4}-\d{2}-01T00:00:00\.000Z to remove\n$/);
    assert.match((await run('audit', 'partitions')).stdout, /SQLite keeps the access log in one table/);
    const ok = await run('audit', 'verify', '--json');
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).intact, true);
    const exported = await run('audit', 'export-checkpoints', '--out', path.join(dir, 'cps.txt'));
    assert.equal(exported.status, 0);
    const vkey = (await run('audit', 'public-key')).stdout.trim();
    const raw = new BetterSqlite3(path.join(dir, 'f.db'));
    raw.prepare("UPDATE access_log SET principal_id = 'p-innocent' WHERE pos = 7").run();
    raw.close();
    const bad = await run('audit', 'verify', '--json', '--checkpoints', path.join(dir, 'cps.txt'), '--verifier-key', vkey);
    assert.equal(bad.status, 1);
    assert.deepEqual({ intact: JSON.parse(bad.stdout).intact, position: JSON.parse(bad.stdout).position }, { intact: false, position: 7 });
    const rot = await run('keys', 'rotate-data', '--reencrypt');
    assert.equal(rot.status, 0, rot.stderr);
    const master = await run('keys', 'rotate-master', '--generate');
    assert.equal(master.status, 0, master.stderr);
    assert.equal((await run('audit', 'public-key')).stdout.trim(), vkey, 'the signing key survives a master rotation');
  });
});
