// NDJSON (one JSON value per line). Blank lines are ignored; CRLF is accepted.
export class NdjsonError extends Error {
  constructor(readonly line: number) {
    super(`line ${line} is not valid JSON`);
    this.name = 'NdjsonError';
  }
}

export function parseNdjson(text: string): unknown[] {
  const out: unknown[] = [];
  let line = 0;
  for (const raw of text.split('\n')) {
    line++;
    const s = raw.trim();
    if (!s) continue;
    try {
      out.push(JSON.parse(s));
    } catch {
      throw new NdjsonError(line);
    }
  }
  return out;
}
