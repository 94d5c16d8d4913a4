#!/usr/bin/env node
// The fanzha command. In a checkout (src/ present, tsx installed) it runs the TypeScript source, so
// an edit is never shadowed by an old build; an installed package has only the compiled dist/.
// Before `serve` from a checkout, the console is built when its sources changed (a line says so),
// so the console, /report and /check are always there.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const source = here('../src/cli/main.ts');
const built = here('../dist/cli/main.js');
const haveTsx = existsSync(here('../node_modules/tsx/package.json'));

if (existsSync(source) && haveTsx) {
  if (process.argv[2] === 'serve') {
    const r = spawnSync(process.execPath, [here('../scripts/build-console.mjs')], { stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import(source);
} else if (existsSync(built)) {
  await import(built);
} else {
  console.error('fanzha: neither the compiled dist/ nor the TypeScript source with tsx is here: run `npm install` (and `npm run build` for dist/).');
  process.exit(1);
}
