#!/usr/bin/env node
// `npm run lint`: fails when any module imports itself back, directly or through others (type-only
// imports count: they tie the files together just the same). One kind of edge is allowed: the
// database module importing the migrations (the list and its helpers), which use its types.
// Dynamic import() counts too, except where a composition root loads a tool lazily on purpose.
import { parseDependencyTree, parseCircular } from 'dpdm';

// [importer, imported] as regular expressions over paths from the repository root
const ALLOWED = [['src/db/database\\.ts', 'src/db/migrations/[^:]+']];
const tree = await parseDependencyTree(['src/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'console/src/**/*.{ts,tsx}'], {
  context: process.cwd(),
  transform: false, // keep type-only imports
  skipDynamicImports: false,
});
const cycles = parseCircular(tree, false, ALLOWED);
const files = Object.keys(tree).filter((f) => !f.includes('node_modules')).length;
if (cycles.length) {
  console.error(`import cycles (${cycles.length}):`);
  for (const c of cycles) console.error(`  ${[...c, c[0]].join(' -> ')}`);
  console.error('Break each by moving what both sides need into a module of its own (types, config, shared helpers).');
  process.exit(1);
}
console.log(`lint: no import cycles in ${files} modules (allowed: ${ALLOWED.map(([a, b]) => `${a} -> ${b}`).join('; ')})`);
