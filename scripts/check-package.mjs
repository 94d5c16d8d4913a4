#!/usr/bin/env node
// Checks the distribution as a user gets it: builds, packs (npm pack), installs the tarball into an
// empty folder with Node's own npm, starts `fanzha serve` from there on a fresh SQLite database and
// fetches the console, the embeddable contact card and /healthz. .ci/run runs it; exits non-zero
// with the reason on the first failure.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(path.join(tmpdir(), 'fanzha-pack-'));
const fail = (msg) => {
  console.error(`check-package: ${msg}`);
  process.exit(1);
};
const sh = (cmd, args, cwd) => {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return r.stdout;
};

sh(process.execPath, [path.join(root, 'scripts/build.mjs')], root);
const tarball = JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', work], root))[0];
console.log(`check-package: packed ${tarball.filename} (${tarball.entryCount} files, ${(tarball.size / 1e6).toFixed(1)} MB)`);
const leaked = tarball.files.map((f) => f.path).filter((p) => p.startsWith('src/') || /\.test\.(js|ts)$/.test(p) || p.includes('/testing/'));
if (leaked.length) fail(`the package ships sources or test files: ${leaked.slice(0, 5).join(', ')}`);

const app = path.join(work, 'app');
sh('mkdir', ['-p', app]);
writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'fanzha-check', private: true }));
sh('npm', ['install', '--no-audit', '--no-fund', '--omit=dev', path.join(work, tarball.filename)], app);

// the typed client is importable from the installed package, with its declarations beside it
const clientCheck = `import('fanzha/client').then((m) => { if (typeof m.FanzhaClient !== 'function' || typeof m.Batcher !== 'function') process.exit(1); return import('fanzha/client/middleware'); }).then((m) => { if (typeof m.fanzhaExpress !== 'function') process.exit(1); console.log('ok'); })`;
if (sh(process.execPath, ['--input-type=module', '-e', clientCheck], app).trim() !== 'ok') fail('fanzha/client does not import from the installed package');
for (const d of ['dist/client/index.d.ts', 'dist/client/middleware/index.d.ts', 'dist/events/events.schemas.d.ts']) {
  if (!tarball.files.some((f) => f.path === d)) fail(`the package lacks ${d}`);
}
console.log('check-package: fanzha/client and fanzha/client/middleware import from the installed package');

const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const child = spawn(path.join(app, 'node_modules/.bin/fanzha'), ['serve', '--port', String(port)], {
  cwd: app,
  env: { ...process.env, FANZHA_DATA_DIR: path.join(app, 'data'), FANZHA_DB: `sqlite:${path.join(app, 'data', 'fanzha.db')}` },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let out = '';
child.stdout.on('data', (c) => (out += c));
child.stderr.on('data', (c) => (out += c));
const started = await new Promise((resolve) => {
  const timer = setTimeout(() => resolve(false), 60_000);
  child.stdout.on('data', () => /listening on/.test(out) && (clearTimeout(timer), resolve(true)));
  child.on('exit', () => (clearTimeout(timer), resolve(false)));
});
try {
  if (!started) fail(`the installed package did not start:\n${out}`);
  const base = `http://127.0.0.1:${port}`;
  for (const [url, want] of [
    ['/healthz', /"ok"/],
    ['/console', /<div id="root"|<script/],
    ['/report', /<script/],
    ['/embed/contact-status.js', /./],
  ]) {
    const r = await fetch(base + url);
    const body = await r.text();
    if (r.status !== 200 || !want.test(body)) fail(`GET ${url} answered ${r.status}: ${body.slice(0, 200)}`);
    console.log(`check-package: GET ${url} → 200`);
  }
} finally {
  child.kill('SIGTERM');
}
rmSync(work, { recursive: true, force: true });
console.log('check-package: the packed package installs and serves');
