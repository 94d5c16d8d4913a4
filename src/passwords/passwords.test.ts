import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { testDialects, tempDir } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { importHibpFile, ImportError } from './range-store.writer.ts';
import { RangeStore } from './range-store.ts';
import { ntlm, sha1 } from './hashes.ts';
import { PasswordsService } from './passwords.service.ts';

const hex = (b: Buffer) => b.toString('hex').toUpperCase();

describe('range store import', () => {
  it('imports a sorted HASH:COUNT file and answers ranges and lookups from disk', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 5000 }, (_, i) => [hex(createHash('sha1').update(`pw${i}`).digest()), i + 1] as const).sort((a, b) =>
      a[0] < b[0] ? -1 : 1,
    );
    const file = path.join(dir, 'pwned-passwords-sha1-ordered-by-hash.txt');
    writeFileSync(file, rows.map(([h, c]) => `${h}:${c}`).join('\r\n') + '\r\n');
    const seen: number[] = [];
    const r = await importHibpFile(
      file,
      (m) => path.join(dir, `${m}.fzpw`),
      (read) => seen.push(read),
    );
    assert.equal(r.mode, 'sha1');
    assert.equal(r.count, 5000);
    assert.ok(seen.length > 0);
    const s = await RangeStore.open(r.path);
    const [h, c] = rows[1234]!;
    const range = await s.range(h.slice(0, 5));
    assert.ok(range.some((e) => e.suffix === h.slice(5) && e.count === c));
    for (const e of range) assert.match(e.suffix, /^[0-9A-F]{35}$/);
    assert.equal(range.length, rows.filter(([x]) => x.startsWith(h.slice(0, 5))).length);
    assert.equal(await s.lookup(Buffer.from(h, 'hex')), c);
    assert.equal(await s.lookup(createHash('sha1').update('not in the file').digest()), 0);
    await s.close();
  });

  it('refuses unsorted or malformed files and leaves no partial store', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'bad.txt');
    writeFileSync(file, `${hex(sha1('b'))}:1\n${hex(sha1('a'))}:2\n`.split('\n').sort().reverse().join('\n'));
    await assert.rejects(
      importHibpFile(file, (m) => path.join(dir, `${m}.fzpw`)),
      ImportError,
    );
    writeFileSync(file, `ZZZ:1\n`);
    await assert.rejects(
      importHibpFile(file, (m) => path.join(dir, `${m}.fzpw`)),
      /line 1/,
    );
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('fzpw')),
      [],
    );
  });

  it('imports NTLM files', async () => {
    const dir = tempDir();
    const rows = ['password', 'letmein', '123456'].map((p) => hex(ntlm(p))).sort();
    const file = path.join(dir, 'ntlm.txt');
    writeFileSync(file, rows.map((h) => `${h}:7`).join('\n'));
    const r = await importHibpFile(file, (m) => path.join(dir, `${m}.fzpw`));
    assert.equal(r.mode, 'ntlm');
    const s = await RangeStore.open(r.path);
    assert.equal(await s.lookup(ntlm('letmein')), 7);
    await s.close();
  });

  it('builds the starter corpus from the zxcvbn common-password list', async () => {
    const svc = new PasswordsService(tempDir());
    svc.ensureStarter();
    assert.ok(existsSync(svc.storePath('sha1')) && existsSync(svc.storePath('ntlm')));
    assert.ok((await svc.timesSeen('password')) > 0);
    assert.ok((await svc.timesSeen('dragon', 'ntlm')) > 0);
    assert.equal(await svc.timesSeen('a long and unusual passphrase 93847'), 0);
    assert.ok((await svc.store('sha1')).count > 40_000);
    await svc.close();
  });
});

for (const dialect of testDialects()) {
  describe(`GET /v1/passwords/range on ${dialect.name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, { areas: { passwords: { rangePerMinute: 5 } } });
    });
    after(async () => t.close());
    const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers, remoteAddress: '198.51.100.77' });

    it('answers in HIBP format: SUFFIX:COUNT lines, uppercase hex, CRLF', async () => {
      const h = hex(sha1('password'));
      const r = await get(`/v1/passwords/range/${h.slice(0, 5).toLowerCase()}`);
      assert.equal(r.statusCode, 200, r.body);
      assert.match(r.headers['content-type'] as string, /^text\/plain/);
      const lines = r.body.split('\r\n');
      for (const l of lines) assert.match(l, /^[0-9A-F]{35}:\d+$/);
      assert.ok(lines.some((l) => l.startsWith(h.slice(5) + ':')));
    });

    it('serves NTLM with ?mode=ntlm and pads with Add-Padding: true', async () => {
      const h = hex(ntlm('password'));
      const r = await get(`/v1/passwords/range/${h.slice(0, 5)}?mode=ntlm`);
      const lines = r.body.split('\r\n');
      for (const l of lines) assert.match(l, /^[0-9A-F]{27}:\d+$/);
      assert.ok(lines.some((l) => l.startsWith(h.slice(5) + ':')));
      const p = await get(`/v1/passwords/range/${hex(sha1('password')).slice(0, 5)}`, { 'add-padding': 'true' });
      const pl = p.body.split('\r\n');
      assert.ok(pl.length >= 800 && pl.length <= 1000, `padded to ${pl.length}`);
      assert.ok(pl.some((l) => l.endsWith(':0')));
      assert.ok(pl.some((l) => l.startsWith(hex(sha1('password')).slice(5) + ':') && !l.endsWith(':0')));
    });

    it('rejects a bad prefix and rate-limits anonymous callers, not API keys', async () => {
      assert.equal((await get('/v1/passwords/range/XYZ12')).statusCode, 400);
      assert.equal((await get('/v1/passwords/range/123456')).statusCode, 400);
      let limited = false;
      for (let i = 0; i < 8 && !limited; i++) limited = (await get('/v1/passwords/range/00000')).statusCode === 429;
      assert.ok(limited, 'anonymous callers are rate-limited');
      assert.equal((await get('/v1/passwords/range/00000', t.auth('ingest'))).statusCode, 200);
    });
  });
}
