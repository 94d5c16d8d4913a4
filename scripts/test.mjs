#!/usr/bin/env node
// Runs the whole test suite with Node's test runner (through tsx). Suites for PostgreSQL and
// Redis run only when FANZHA_TEST_PG / FANZHA_TEST_REDIS name a server; this script says so
// plainly when they do not, and .ci/run always sets both.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const roots = ['src', 'bench'];
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.ts')) files.push(p);
  }
};
for (const r of roots) {
  try {
    walk(r);
  } catch {}
}
const only = process.argv.slice(2);
const selected = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;

const notes = [];
if (!process.env.FANZHA_TEST_PG) notes.push('PostgreSQL suites SKIPPED: set FANZHA_TEST_PG=postgres://postgres@127.0.0.1:5432/test to run them.');
if (!process.env.FANZHA_TEST_REDIS) notes.push('Redis suites SKIPPED: set FANZHA_TEST_REDIS=redis://127.0.0.1:6379 to run them.');
for (const n of notes) console.log(`\n*** ${n}\n`);

const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...selected], { stdio: 'inherit', env: process.env });
for (const n of notes) console.log(`*** ${n}`);
process.exit(r.status ?? 1);
