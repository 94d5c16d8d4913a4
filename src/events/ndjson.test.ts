import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NdjsonLines, NdjsonError } from './ndjson.ts';

describe('NDJSON lines', () => {
  it('keeps non-blank lines, trims CRLF and maps values back to their line numbers', () => {
    const l = NdjsonLines.split('{"a":1}\r\n\n  \n[2]\n"x"\n');
    assert.deepEqual([...l], ['{"a":1}', '[2]', '"x"']);
    assert.deepEqual(l.parse(), [{ a: 1 }, [2], 'x']);
    assert.deepEqual([l.lineOf(0), l.lineOf(1), l.lineOf(2)], [1, 4, 5]);
    assert.ok(Array.isArray(l) && !(l.slice(1) instanceof NdjsonLines), 'slices are plain arrays (they cross to the worker)');
  });

  it('names the first bad line, counting blank lines', () => {
    const l = NdjsonLines.split('{}\n\n{oops\n{also bad\n');
    assert.throws(
      () => l.parse(),
      (e: unknown) => e instanceof NdjsonError && e.line === 3,
    );
    assert.equal(NdjsonLines.split('1\n2\n{').lineOf(2), 3);
  });
});
