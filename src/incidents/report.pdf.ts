// Renders a report's Markdown as a PDF with embedded CJK fonts (pdfkit + fontkit): the bundled
// Noto Sans SC by default, or a configured system font (pdf-fonts.ts). Only the Markdown our
// reports use: headings, list items, tables, code blocks and paragraphs.
import { bundledFontSet, systemFontSet, type FontSet, type PdfFont } from './pdf-fonts.ts';

export { PdfFontMissing, type PdfFont } from './pdf-fonts.ts';

const strip = (s: string) => s.replace(/\*\*|`/g, '');

/** `font` is a configured system font; without it the bundled font is used. */
export async function renderPdf(markdown: string, font?: PdfFont): Promise<Buffer> {
  const fonts = font ? systemFontSet(font) : bundledFontSet();
  // pdfkit and its font code load on the first PDF: the server and every other command start without them
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: strip(markdown.split('\n')[0]!.replace(/^#+\s*/, '')), Producer: 'fanzha' } });
  for (const f of fonts.files) doc.registerFont(f.key, f.path, f.name);
  const write = (text: string, size: number, opts: PDFKit.Mixins.TextOptions = {}) => writeRuns(doc, fonts, text, size, opts);
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
      write(line || ' ', 7);
      continue;
    }
    if (!line) {
      doc.moveDown(0.4);
      continue;
    }
    const h = /^(#{1,3})\s+(.*)$/.exec(line);
    if (h) {
      doc.moveDown(0.3);
      write(strip(h[2]!), h[1]!.length === 1 ? 16 : h[1]!.length === 2 ? 13 : 11);
      doc.moveDown(0.2);
      continue;
    }
    if (/^\|[-:| ]+\|$/.test(line)) continue;
    if (line.startsWith('|')) {
      const cells = line
        .split('|')
        .slice(1, -1)
        .map((c) => strip(c.trim()));
      write(cells.filter(Boolean).join('    '), 9, { indent: 10 });
      continue;
    }
    const li = /^-\s+(.*)$/.exec(line);
    if (li) {
      write(`•  ${strip(li[1]!)}`, 10, { indent: 6 });
      continue;
    }
    write(strip(line), 10);
  }
  doc.end();
  return done;
}

/** One paragraph drawn as runs, each in the font file that holds its characters. */
function writeRuns(doc: PDFKit.PDFDocument, fonts: FontSet, text: string, size: number, opts: PDFKit.Mixins.TextOptions) {
  const runs = fonts.runs(text);
  runs.forEach((r, i) => {
    doc
      .font(r.key)
      .fontSize(size)
      .text(r.text, { ...opts, continued: i < runs.length - 1 });
  });
}
