// The console's production bundle size and first-load time.
//   npx tsx bench/console.ts            (builds console/dist first if stale)
// Sizes: every file each page loads (HTML, JS, CSS), raw and gzip. Load time: headless Chromium
// (Debian's /usr/bin/chromium), fresh profile and empty cache per run, from navigation start until
// the page's first heading is on screen; median of N runs. Baseline in the same run: the
// Swagger UI page fanzha already serves at /docs (a well-known single-page app), until its
// operation list is drawn.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { testDialects } from '../src/testing/dialects.ts';
import { createTestApp } from '../src/testing/test-app.ts';
import { CONSOLE_DIST } from '../src/console/console.static.ts';

const RUNS = Number(process.env.RUNS ?? 7);
execFileSync(process.execPath, ['scripts/build-console.mjs'], { stdio: 'inherit' });

/** Files a page loads: its HTML plus the scripts, preloads and styles it links, recursively through imports. */
function pageFiles(html: string): string[] {
  const seen = new Set<string>([html]);
  const queue = [path.join(CONSOLE_DIST, html)];
  while (queue.length) {
    const file = queue.pop()!;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:src|href)="\/console\/assets\/([^"]+)"|from"\.\/([^"]+)"/g)) {
      // Static imports only: chunks behind import() (the chart library) load later, when needed.
      const name = m[1] ?? m[2];
      if (!name || seen.has(name)) continue;
      seen.add(name);
      queue.push(path.join(CONSOLE_DIST, 'assets', name));
    }
  }
  return [...seen];
}

function sizes(html: string) {
  let raw = 0;
  let gz = 0;
  for (const f of pageFiles(html)) {
    const p = f.endsWith('.html') ? path.join(CONSOLE_DIST, f) : path.join(CONSOLE_DIST, 'assets', f);
    const buf = readFileSync(p);
    raw += buf.length;
    gz += gzipSync(buf).length;
  }
  return { raw, gz };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const total = readdirSync(path.join(CONSOLE_DIST, 'assets')).reduce((n, f) => n + readFileSync(path.join(CONSOLE_DIST, 'assets', f)).length, 0);
console.log(`bundle: all assets ${kb(total)}`);
for (const page of ['index.html', 'report.html', 'check.html']) {
  const s = sizes(page);
  console.log(`  ${page.padEnd(12)} first load ${kb(s.raw)} raw, ${kb(s.gz)} gzip`);
}

const t = await createTestApp(testDialects()[0]!, { logLevel: 'warn' });
const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
const browser: Browser = await chromium.launch({
  executablePath: process.env.FANZHA_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const cookie = await (async () => {
  const r = await t.app.inject({
    method: 'POST',
    url: '/v1/console/session',
    headers: { 'x-requested-with': 'fanzha-console' },
    payload: { key: t.keys.admin },
  });
  return /fanzha_session=([^;]+)/.exec(String(r.headers['set-cookie']))![1]!;
})();

async function firstLoad(url: string, ready: string, signedIn: boolean, viewport = { width: 1280, height: 800 }): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const ctx = await browser.newContext({ viewport });
    if (signedIn) await ctx.addCookies([{ name: 'fanzha_session', value: cookie, url: base }]);
    const page = await ctx.newPage();
    await page.goto(base + url);
    await page.locator(ready).first().waitFor();
    times.push((await page.evaluate('performance.now()')) as number);
    await ctx.close();
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const docs = await firstLoad('/docs/', '.opblock', false);
const overview = await firstLoad('/console', 'main h1', true);
const cases = await firstLoad('/console/cases', 'main h1', true);
const signIn = await firstLoad('/console', '.signin h1', false);
const report = await firstLoad('/report', 'legend', false, { width: 390, height: 844 });
console.log(`first load (median of ${RUNS}, cold cache, until the first heading is drawn):`);
console.log(`  baseline Swagger UI /docs   ${docs.toFixed(0)} ms`);
for (const [name, ms] of [
  ['console overview (signed in)', overview],
  ['console cases (signed in)', cases],
  ['console sign-in', signIn],
  ['/report on a phone', report],
] as const) {
  console.log(`  ${name.padEnd(28)} ${ms.toFixed(0)} ms   (${(ms / docs).toFixed(2)}× the baseline)`);
}
await browser.close();
await t.close();
