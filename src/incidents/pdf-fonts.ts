// The fonts a PDF report is drawn with. By default the Noto Sans SC shipped by the npm package
// @fontsource/noto-sans-sc (SIL OFL 1.1, licence in its package folder), so reports render on any
// machine that ran `npm install`, with no system font. That package splits the font into ~100
// files by Unicode range (web-font subsets); `BUNDLED_FONT` reads their ranges from the package's
// unicode.json and each run of text is drawn with the file that holds its characters. The WOFF
// files are used, not WOFF2: pdfkit embeds the WOFF2 outlines of these files garbled (the text
// extracts, but the page shows stray strokes; the rendering test counts ink to catch it). A system
// font (one TTF/OTF, or a TTC with the PostScript name inside it) can be configured instead.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DomainError } from '../lib/errors.ts';

export interface PdfFont {
  /** A TTF/OTF file, or a TTC collection with `name` the PostScript name inside it. */
  path: string;
  name?: string;
}

interface FontFile extends PdfFont {
  key: string;
  /** Sorted, inclusive code-point ranges this file covers. */
  ranges: [number, number][];
}

export class PdfFontMissing extends DomainError {
  override name = 'PdfFontMissing';
  constructor(message: string) {
    super('unavailable', message, { type: 'pdf-font-missing', title: 'PDF font missing' });
  }
}

/** A set of font files and which one draws each character. */
export class FontSet {
  private readonly byCodePoint = new Map<number, string>();
  constructor(
    readonly files: FontFile[],
    /** Key of the file used for characters no file covers (pdfkit draws its .notdef glyph). */
    private readonly fallback: string,
  ) {}

  keyFor(codePoint: number): string {
    let key = this.byCodePoint.get(codePoint);
    if (key === undefined) {
      key = this.files.find((f) => f.ranges.some(([lo, hi]) => codePoint >= lo && codePoint <= hi))?.key ?? this.fallback;
      this.byCodePoint.set(codePoint, key);
    }
    return key;
  }

  /** Splits text into runs that one file can draw, in order. */
  runs(text: string): { key: string; text: string }[] {
    const out: { key: string; text: string }[] = [];
    for (const ch of text) {
      const key = this.keyFor(ch.codePointAt(0)!);
      const last = out.at(-1);
      if (last && last.key === key) last.text += ch;
      else out.push({ key, text: ch });
    }
    return out;
  }
}

/** One configured system font draws everything. */
export function systemFontSet(font: PdfFont): FontSet {
  if (!existsSync(font.path))
    throw new PdfFontMissing(
      `The PDF font configured in areas.incidents.pdfFont.path was not found at ${font.path}. Remove the setting to use the bundled Noto Sans SC, or point it at a font with Chinese glyphs (e.g. Debian's fonts-noto-cjk).`,
    );
  return new FontSet([{ key: 'f0', path: font.path, name: font.name, ranges: [[0, 0x10ffff]] }], 'f0');
}

/** "U+4e00-4e0f,U+4e11" → [[0x4e00, 0x4e0f], [0x4e11, 0x4e11]] */
export function parseUnicodeRange(css: string): [number, number][] {
  const out: [number, number][] = [];
  for (const part of css.split(',')) {
    const m = /^\s*U\+([0-9a-f]+)(?:-([0-9a-f]+))?\s*$/i.exec(part);
    if (!m) continue;
    const lo = parseInt(m[1]!, 16);
    out.push([lo, m[2] ? parseInt(m[2], 16) : lo]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

const PACKAGE = '@fontsource/noto-sans-sc';
let bundled: FontSet | undefined;

/** The npm-shipped Noto Sans SC, regular weight, one file per subset of the package. */
export function bundledFontSet(): FontSet {
  if (bundled) return bundled;
  let dir: string;
  try {
    dir = path.dirname(createRequire(import.meta.url).resolve(`${PACKAGE}/unicode.json`));
  } catch {
    throw new PdfFontMissing(
      `The bundled PDF font (${PACKAGE}) is not installed: run npm install, or set areas.incidents.pdfFont.path to a system font with Chinese glyphs.`,
    );
  }
  const subsets = JSON.parse(readFileSync(path.join(dir, 'unicode.json'), 'utf8')) as Record<string, string>;
  const files: FontFile[] = Object.entries(subsets).map(([subset, range]) => {
    // unicode.json names numbered CJK slices "[12]" and script subsets "latin"; files follow suit.
    const id = subset.replace(/^\[(\d+)\]$/, '$1');
    return { key: `noto-${id}`, path: path.join(dir, 'files', `noto-sans-sc-${id}-400-normal.woff`), ranges: parseUnicodeRange(range) };
  });
  const present = files.filter((f) => existsSync(f.path));
  if (!present.some((f) => f.key === 'noto-latin')) throw new PdfFontMissing(`The bundled PDF font (${PACKAGE}) is incomplete: reinstall it with npm install.`);
  bundled = new FontSet(present, 'noto-latin');
  return bundled;
}
