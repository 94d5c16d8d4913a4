#!/usr/bin/env node
// Builds the console bundle (console/dist) with Vite when its sources changed since the last
// build, so `npm start` and `npm test` always serve a current console without rebuilding every
// time. Staleness is a SHA-256 over the console's sources, config and the lock file, stored
// beside the bundle; `--force` rebuilds anyway.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const consoleDir = path.join(root, 'console');
const dist = path.join(consoleDir, 'dist');
const stampFile = path.join(dist, '.build-hash');

function sourceFiles() {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      if (name === 'dist' || name === 'node_modules' || name.startsWith('.')) continue;
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (!/\.test\.tsx?$/.test(name)) out.push(p);
    }
  };
  walk(consoleDir);
  out.push(path.join(root, 'package-lock.json'));
  return out;
}

function sourceHash() {
  const h = createHash('sha256');
  for (const f of sourceFiles()) {
    h.update(path.relative(root, f));
    h.update('\0');
    h.update(readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex');
}

const hash = sourceHash();
const force = process.argv.includes('--force');
if (!force && existsSync(path.join(dist, 'index.html')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash) {
  process.exit(0);
}
console.log('console: building the web console with Vite…');
const started = Date.now();
const { build } = await import('vite');
await build({ configFile: path.join(consoleDir, 'vite.config.ts'), logLevel: 'warn' });
writeFileSync(stampFile, hash);
console.log(`console: built into console/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`);
