// Renders a report's Markdown as a PDF with an embedded CJK font (pdfkit + fontkit). Only the
// Markdown our reports use: headings, list items, tables, code blocks and paragraphs.
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { DomainError } from '../lib/errors.ts';

export const DEFAULT_CJK_FONT = { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', name: 'NotoSansCJKsc-Regular' };

export class PdfFontMissing extends DomainError {
  override name = 'PdfFontMissing';
  constructor(message: string) {
    super('unavailable', message, { type: 'pdf-font-missing', title: 'PDF font missing' });
  }
}

export interface PdfFont {
  /** A TTF/OTF file, or a TTC collection with `name` the PostScript name inside it. */
  path: string;
  name?: string;
}

const strip = (s: string) => s.replace(/\*\*|`/g, '');

export function renderPdf(markdown: string, font: PdfFont = DEFAULT_CJK_FONT): Promise<Buffer> {
  if (!existsSync(font.path))
    throw new PdfFontMissing(`CJK font not found at ${font.path}: install fonts-noto-cjk (apt-get install fonts-noto-cjk) or set areas.incidents.pdfFont.path to a font with Chinese glyphs`);
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: strip(markdown.split('\n')[0]!.replace(/^#+\s*/, '')), Producer: 'fanzha' } });
  doc.registerFont('cjk', font.path, font.name);
  doc.font('cjk');
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  let inCode = false;
  for (const raw of markdown.split('\n')) {
    const line = raw.trimEnd();
    if (line.startsWith('```')) {
      inCode = !inCode;
      continue;
    }
    if (inCode) {
      doc.fontSize(7).text(line || ' ');
      continue;
    }
    if (!line) {
      doc.moveDown(0.4);
      continue;
    }
    const h = /^(#{1,3})\s+(.*)$/.exec(line);
    if (h) {
      doc.moveDown(0.3).fontSize(h[1]!.length === 1 ? 16 : h[1]!.length === 2 ? 13 : 11).text(strip(h[2]!));
      doc.moveDown(0.2);
      continue;
    }
    if (/^\|[-:| ]+\|$/.test(line)) continue;
    if (line.startsWith('|')) {
      const cells = line.split('|').slice(1, -1).map((c) => strip(c.trim()));
      doc.fontSize(9).text(cells.filter(Boolean).join('    '), { indent: 10 });
      continue;
    }
    const li = /^-\s+(.*)$/.exec(line);
    if (li) {
      doc.fontSize(10).text(`•  ${strip(li[1]!)}`, { indent: 6 });
      continue;
    }
    doc.fontSize(10).text(strip(line));
  }
  doc.end();
  return done;
}
