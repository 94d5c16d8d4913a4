// The owner/gate check: which files touch which tables, and which decrypt personal data.
// A table is "touched" by a Kysely call naming it (selectFrom, insertInto, updateTable,
// deleteFrom, joins, with, sql.table) or by raw SQL naming it after FROM / JOIN / INTO / UPDATE /
// TABLE. Decrypting is calling the field cipher's decrypt. Comments are ignored.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { TABLE_OWNERS } from '../db/owners.ts';

export interface Violation {
  file: string;
  line: number;
  what: string;
}

const KYSELY =
  /\b(?:selectFrom|insertInto|replaceInto|updateTable|deleteFrom|mergeInto|innerJoin|leftJoin|rightJoin|fullJoin|crossJoin|with|table)\(\s*['"`]([a-z_][a-z0-9_]*)\b/g;
const RAW = /\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+([a-z_][a-z0-9_]*)\b/g;
const DECRYPT = /\.decrypt\(/g;

/** Source without comments (kept line for line, so positions stay right). */
export function stripComments(src: string): string {
  return src
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .split('\n')
    .map((l) => l.replace(/(^|\s)\/\/.*$/, '$1'))
    .join('\n');
}

function lineOf(src: string, index: number): number {
  let n = 1;
  for (let i = 0; i < index; i++) if (src.charCodeAt(i) === 10) n++;
  return n;
}

/** The area a source file belongs to: its first directory under src/ ('db' for src/db/*). */
export function areaOf(file: string): string {
  return file.split(/[\\/]/)[1] ?? '';
}

/** Violations in one file: owned tables touched outside their owner, decryption outside the vault. */
export function checkSource(file: string, source: string): Violation[] {
  const src = stripComments(source);
  const area = areaOf(file);
  const out: Violation[] = [];
  for (const re of [KYSELY, RAW]) {
    for (const m of src.matchAll(re)) {
      const owner = (TABLE_OWNERS as Record<string, string>)[m[1]!];
      if (owner && owner !== area) out.push({ file, line: lineOf(src, m.index), what: `touches ${m[1]} (owned by ${owner})` });
    }
  }
  if (area !== 'vault') for (const m of src.matchAll(DECRYPT)) out.push({ file, line: lineOf(src, m.index), what: 'decrypts personal data outside src/vault' });
  return out;
}

/** Production sources: tests, test support (`*.test-helper.ts`, testing/ directories) and migrations (which create every table) excluded. */
export function productionSources(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      const rel = relative(root, p).split(sep).join('/');
      if (statSync(p).isDirectory()) {
        if (name === 'testing' || rel === 'src/db/migrations') continue;
        walk(p);
      } else if (/\.tsx?$/.test(name) && !/\.test(-helper)?\.tsx?$/.test(name)) out.push(rel);
    }
  };
  walk(join(root, 'src'));
  return out.sort();
}

export function checkTree(root: string): Violation[] {
  return productionSources(root).flatMap((f) => checkSource(f, readFileSync(join(root, f), 'utf8')));
}
