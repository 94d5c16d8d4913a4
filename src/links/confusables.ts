// UTS #39 skeletons from Unicode's confusables.txt (shipped in assets/unicode/). Two strings are
// confusable when their skeletons are equal: skeleton(x) = NFD(map each char of NFD(x) by the
// confusables table). "аррӏе" (Cyrillic) and "apple" share the skeleton "apple".
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FILE = fileURLToPath(new URL('../../assets/unicode/confusables.txt', import.meta.url));

let table: Map<string, string> | undefined;

function load(): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of readFileSync(FILE, 'utf8').split('\n')) {
    const hash = line.indexOf('#');
    const body = (hash >= 0 ? line.slice(0, hash) : line).trim();
    if (!body) continue;
    const [src, dst] = body.split(';').map((x) => x.trim());
    if (!src || !dst) continue;
    const from = String.fromCodePoint(...src.split(/\s+/).map((h) => parseInt(h, 16)));
    const to = String.fromCodePoint(...dst.split(/\s+/).map((h) => parseInt(h, 16)));
    map.set(from, to);
  }
  return map;
}

export function confusablesTable(): Map<string, string> {
  return (table ??= load());
}

/** The UTS #39 skeleton of a string. */
export function skeleton(s: string): string {
  const t = confusablesTable();
  let out = '';
  for (const ch of s.normalize('NFD')) out += t.get(ch) ?? ch;
  return out.normalize('NFD');
}

/** Scripts we name in verdicts (enough to tell "cyrillic" from other confusables). */
export function hasCyrillic(s: string): boolean {
  return /\p{Script=Cyrillic}/u.test(s);
}
export function hasNonAscii(s: string): boolean {
  // eslint-disable-next-line no-control-regex -- the ASCII range, on purpose
  return /[^\x00-\x7f]/.test(s);
}
