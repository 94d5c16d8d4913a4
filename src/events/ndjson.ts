// NDJSON (one JSON value per line). Blank lines are ignored; CRLF is accepted.
import { DomainError } from '../lib/errors.ts';

/** A body line that is not JSON: the whole batch is refused (400 in the API, naming the line). */
export class NdjsonError extends DomainError {
  constructor(readonly line: number) {
    const message = `line ${line} is not valid JSON`;
    super('invalid', message, { detail: `The NDJSON body could not be parsed: ${message}. Nothing was stored.`, extensions: { line } });
    this.name = 'NdjsonError';
  }
}

/** Thrown by parseJsonLines: `index` counts non-blank lines from the start of the body. */
export class BadJsonLine extends Error {
  constructor(readonly index: number) {
    super(`value ${index} is not valid JSON`);
    this.name = 'BadJsonLine';
  }
}

/**
 * The non-blank lines of an NDJSON body, not parsed yet: large batches are parsed on the ingest
 * worker (src/events/pipeline), next to normalisation, instead of on the thread serving HTTP.
 * It is an array (of strings) so the route's body schema and size check apply unchanged.
 */
export class NdjsonLines extends Array<string> {
  /** Line numbers of the values, when blank lines make them differ from index + 1. */
  private numbers: number[] | null = null;
  static override get [Symbol.species]() {
    return Array;
  }

  static split(text: string): NdjsonLines {
    const out = new NdjsonLines();
    const numbers: number[] = [];
    let line = 0;
    let blanks = false;
    for (const raw of text.split('\n')) {
      line++;
      const s = raw.trim();
      if (!s) {
        blanks = true;
        continue;
      }
      out.push(s);
      numbers.push(line);
    }
    if (blanks) out.numbers = numbers;
    return out;
  }

  lineOf(index: number): number {
    return this.numbers ? this.numbers[index]! : index + 1;
  }

  /** Every value parsed, or NdjsonError naming the first bad line. */
  parse(): unknown[] {
    try {
      return parseJsonLines(this, 0);
    } catch (e) {
      throw e instanceof BadJsonLine ? new NdjsonError(this.lineOf(e.index)) : e;
    }
  }
}

/** Parses lines[0..]; the first of them is value `offset` of the body. */
export function parseJsonLines(lines: readonly string[], offset: number): unknown[] {
  const out = new Array<unknown>(lines.length);
  for (let i = 0; i < lines.length; i++) {
    try {
      out[i] = JSON.parse(lines[i]!);
    } catch {
      throw new BadJsonLine(offset + i);
    }
  }
  return out;
}
