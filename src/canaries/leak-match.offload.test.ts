// Regression (issue #21): one leaked file with long runs of e-mail-ish characters froze the whole
// server (a quadratic pattern on the event loop). Extraction is now linear, large files are read in
// a worker thread, and a size cap and a time cap bound what one upload can cost.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp } from '../testing/test-app.ts';
import { loopStallBoundMs, maxLoopDelayMs } from '../testing/loop-delay.ts';
import { LeakExtractor } from './leak-match.offload.ts';
import { extractFromText } from './leak-match.extract.ts';
import { emailSpans } from '../lib/pii-text.ts';

/** Inputs that made the old e-mail pattern rescan the text from every position. */
const hostile = (n: number) => ['a'.repeat(n), 'a.'.repeat(n / 2) + '@', 'x@' + 'a.'.repeat(n / 2), '@'.repeat(n)];

describe('leaked-file extraction is linear and off the event loop', () => {
  it('finds the same e-mails as a plain pattern on ordinary text', () => {
    const text = '张三,li.na@example.com, x@y, a@b.c, WANG_1@mail.qq.com;foo@bar.com.cn1 n@o.org.';
    assert.deepEqual(extractFromText(text).emails.sort(), ['foo@bar.com.cn', 'li.na@example.com', 'n@o.org', 'wang_1@mail.qq.com']);
    // the e-mail after a hostile run is still found
    const long = 'a'.repeat(200_000) + ' z@example.org';
    assert.deepEqual(
      emailSpans(long).map((s) => long.slice(s.start, s.end)),
      ['z@example.org'],
    );
  });

  it('a 1 MB hostile file never blocks the loop while /healthz is served', async () => {
    const t = await createTestApp(testDialects()[0]!);
    // on a loaded machine every timer is late: the bound follows what the idle loop shows now
    const { bound, idleMs } = await loopStallBoundMs();
    try {
      for (const content of hostile(1_000_000)) {
        let pings = 0;
        let stop = false;
        const { result: r, maxMs } = await maxLoopDelayMs(async () => {
          const ping = (async () => {
            while (!stop) {
              const h = await t.app.inject({ method: 'GET', url: '/healthz' });
              assert.equal(h.statusCode, 200);
              pings++;
              await new Promise((res) => setTimeout(res, 20));
            }
          })();
          const res = await t.app.inject({
            method: 'POST',
            url: '/v1/leaks/match',
            headers: { ...t.auth('analyst'), 'content-type': 'text/plain' },
            payload: content,
          });
          stop = true;
          await ping;
          return res;
        });
        assert.ok(r.statusCode === 200 || r.statusCode === 422, `status ${r.statusCode}`);
        assert.ok(maxMs < bound, `event loop blocked ${maxMs.toFixed(0)} ms (bound ${bound.toFixed(0)} ms, idle ${idleMs.toFixed(0)} ms)`);
        assert.ok(pings > 0);
      }
    } finally {
      await t.close();
    }
  });

  it('refuses files over the size cap and files over the time cap (and recovers)', async () => {
    const x = new LeakExtractor({ offloadAt: 10, maxChars: 1000, timeoutMs: 1 });
    try {
      await assert.rejects(x.extract('1'.repeat(1001), 'text'), (e: { category?: string }) => e.category === 'too-large');
      // 1 ms cannot cover starting a thread and reading 2 MB: the cap answers 422, the next file gets a new thread
      const slow = new LeakExtractor({ offloadAt: 10, timeoutMs: 1 });
      try {
        await assert.rejects(slow.extract('13812345678,'.repeat(200_000), 'text'), (e: { category?: string }) => e.category === 'unprocessable');
      } finally {
        await slow.stop();
      }
      const y = new LeakExtractor({ offloadAt: 10, timeoutMs: 60_000 });
      const r = await y.extract('张三,13812345678\n李四,li@example.com\n', 'csv');
      assert.equal(r.records.length, 2);
      await y.stop();
    } finally {
      await x.stop();
    }
  });
});
