#!/usr/bin/env node
// `npm run build`: a complete distribution in dist/ — the server compiled by tsc, every runtime
// file under src/ that is not TypeScript (the embeddable contact card, its demo page…) copied
// beside the compiled code that loads it, and the console bundle built into console/dist. The
// package (`npm pack`) ships dist/, console/dist/ and assets/; scripts/check-package.mjs installs
// it into an empty folder and serves from it.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');

const run = (args) => {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

rmSync(dist, { recursive: true, force: true });
run([path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
// fanzha/client ships its type declarations (and those of the server schemas its types derive from)
run([path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.client.json']);

let copied = 0;
const copyAssets = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'testing') copyAssets(p);
    } else if (!/\.tsx?$/.test(name)) {
      cpSync(p, path.join(dist, path.relative(src, p)));
      copied++;
    }
  }
};
copyAssets(src);
console.log(`build: compiled the server into dist/ and copied ${copied} runtime files`);
run([path.join(root, 'scripts/build-console.mjs')]);
