// The `fanzha` command on a private data folder: its commands run in-process (src/testing/cli.ts),
// and `serve` as a user starts it, a child process of bin/fanzha.js (the binary's smoke test).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../testing/dialects.ts';
import { fanzha as run } from '../testing/cli.ts';

const BIN = path.resolve('bin/fanzha.js');

describe('fanzha CLI', () => {
  const dir = tempDir();
  const env = { FANZHA_DATA_DIR: dir, FANZHA_DB: `sqlite:${path.join(dir, 'f.db')}` };

  it('migrates, creates keys (printing only the key), lists and revokes them', async () => {
    assert.equal((await run(['migrate'], env)).status, 0);
    const created = await run(['keys', 'create', '--role', 'analyst', '--name', 'risk team'], env);
    assert.equal(created.status, 0, created.stderr);
    assert.match(created.stdout, /^fz_analyst_[A-Za-z0-9_-]{43}\n$/);
    const list = JSON.parse((await run(['keys', 'list', '--json'], env)).stdout);
    assert.equal(list.length, 1);
    assert.equal(list[0].role, 'analyst');
    assert.ok(!JSON.stringify(list).includes(created.stdout.trim()));
    assert.equal((await run(['keys', 'revoke', list[0].id], env)).status, 0);
    assert.notEqual((await run(['keys', 'revoke', list[0].id], env)).status, 0);
    const root = await run(['keys', 'create', '--role', 'root'], env);
    assert.notEqual(root.status, 0);
    assert.match(root.stderr, /Allowed choices are/, 'commander names the valid roles');
  });

  it('takes one root --db option, before or after the subcommand, over FANZHA_DB', async () => {
    const other = `sqlite:${path.join(dir, 'other.db')}`;
    assert.equal((await run(['--db', other, 'migrate'], env)).status, 0);
    const created = await run(['keys', 'create', '--role', 'agent', '--db', other], env);
    assert.equal(created.status, 0, created.stderr);
    const inOther = JSON.parse((await run(['--db', other, 'keys', 'list', '--json'], env)).stdout);
    assert.deepEqual(
      inOther.map((k: { role: string }) => k.role),
      ['agent'],
    );
    const inDefault = JSON.parse((await run(['keys', 'list', '--json'], env)).stdout);
    assert.ok(!inDefault.some((k: { id: string }) => k.id === inOther[0].id), 'the key went to the --db database only');
  });

  it('imports NDJSON with the API contract, reporting bad lines without losing good ones', async () => {
    const file = path.join(dir, 'events.ndjson');
    const good = { id: 'imp-1', type: 'principal.upserted', at: '2016-07-14T10:00:00+08:00', principalId: 'p1', kind: 'partner', name: '顺达快递' };
    writeFileSync(file, [JSON.stringify(good), '{broken', JSON.stringify({ ...good, id: 'imp-2', kind: 'alien' }), JSON.stringify(good)].join('\n') + '\n');
    const r = await run(['import', file], env);
    assert.equal(r.status, 1, 'exit code says some lines were rejected');
    assert.match(r.stderr, /lines 4, accepted 1, duplicates 1, rejected 2/);
    assert.match(r.stderr, /line 2/);
    assert.match(r.stderr, /line 3 \(imp-2\)/);
  });

  it('refuses to start with a malformed master key, with a clear message', async () => {
    const r = await run(['serve', '--port', '0'], { ...env, FANZHA_MASTER_KEY: 'not-a-key' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /FANZHA_MASTER_KEY is malformed/);
  });

  it('serve (the binary, a child process): on first start generates the master key, prints an admin key once, and answers with it', async () => {
    const d = tempDir();
    const childEnv = { FANZHA_DATA_DIR: d, FANZHA_DB: `sqlite:${path.join(d, 'f.db')}` };
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { env: { ...process.env, ...childEnv } });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    try {
      const address = await new Promise<string>((resolve, reject) => {
        // a hang guard, not a speed check: a cold tsx start on a loaded 2-core machine can take a minute
        const timer = setTimeout(() => reject(new Error('no listening line: ' + out)), 120_000);
        child.stdout.on('data', () => {
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
      });
      assert.match(out, /generated a new master key/);
      const key = /^\s+(fz_admin_\S+)$/m.exec(out)?.[1];
      assert.ok(key, 'admin key printed');
      const r = await fetch(`${address}/v1/keys`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(r.status, 200);
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    }
    // A second start does not print a new key.
    const again = await run(['keys', 'list', '--json'], childEnv);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(JSON.parse(again.stdout).length, 1);
  });
});
