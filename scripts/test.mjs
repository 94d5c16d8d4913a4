#!/usr/bin/env node
// Runs the whole test suite: first the console's unit tests (Vitest, jsdom-like happy-dom), then
// every server test with Node's test runner (through tsx), whose summary stays the last lines of
// the output. Suites for PostgreSQL and Redis run only when FANZHA_TEST_PG / FANZHA_TEST_REDIS
// name a server; this script says so plainly when they do not, and .ci/run always sets both.
// `npm test -- <path-substring>...` runs only matching files; Vitest runs when a substring
// matches a console test (or with no filter). The exit code fails if either runner fails.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const walk = (dir, suffix, out) => {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const p = path.join(dir, name);
    if (name === 'node_modules' || name === 'dist') continue;
    if (statSync(p).isDirectory()) walk(p, suffix, out);
    else if (suffix.test(name)) out.push(p);
  }
  return out;
};
const files = ['src', 'bench'].flatMap((r) => walk(r, /\.test\.ts$/, []));
const consoleFiles = walk('console/src', /\.test\.tsx?$/, []);
const only = process.argv.slice(2);
const pick = (list) => (only.length ? list.filter((f) => only.some((o) => f.includes(o))) : list);
const selected = pick(files);
const selectedConsole = pick(consoleFiles);

let vitestStatus = 0;
if (selectedConsole.length) {
  const r = spawnSync(
    process.execPath,
    [
      'node_modules/vitest/vitest.mjs',
      'run',
      '--config',
      'console/vite.config.ts',
      ...(only.length ? selectedConsole.map((f) => path.relative('console', f)) : []),
    ],
    { stdio: 'inherit', env: process.env },
  );
  vitestStatus = r.status ?? 1;
  if (vitestStatus !== 0) console.log('\n*** console unit tests (Vitest) FAILED\n');
}
if (!selected.length) process.exit(vitestStatus);

const notes = [];
if (!process.env.FANZHA_TEST_PG) notes.push('PostgreSQL suites SKIPPED: set FANZHA_TEST_PG=postgres://postgres@127.0.0.1:5432/test to run them.');
if (!process.env.FANZHA_TEST_REDIS) notes.push('Redis suites SKIPPED: set FANZHA_TEST_REDIS=redis://127.0.0.1:6379 to run them.');
for (const n of notes) console.log(`\n*** ${n}\n`);

// three files at a time by default: on two cores a third file runs while the others wait on
// PostgreSQL, Redis, HTTP or a child process (most suites do); FANZHA_TEST_CONCURRENCY overrides
const concurrency = Number(process.env.FANZHA_TEST_CONCURRENCY) || 3;
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...selected], {
  stdio: 'inherit',
  env: process.env,
});
for (const n of notes) console.log(`*** ${n}`);
if (vitestStatus !== 0) console.log('*** console unit tests (Vitest) FAILED: see above');
process.exit(r.status || vitestStatus || (r.status === null ? 1 : 0));
