// Browser tests: the built console and public pages in headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core) against a real fanzha server on SQLite.
// Every page must load with no console errors, no failed requests and no 4xx/5xx responses
// (areas not installed yet are discovered through /v1/console/features, never probed), and pass
// axe-core with no serious or critical violations. Screenshots go to test-results/console/.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { startAreas } from '../app/bootstrap.ts';
import { AREAS } from '../app/areas.ts';
import { loadDemo } from '../sim/demo.ts';
import { CONSOLE_DIST } from './console.static.ts';
import { FIXTURES } from './fixtures.test-helper.ts';
import { FEATURE_PROBES } from './features.ts';
import { rawEnumsIn } from '../testing/raw-enums.ts';

const CHROMIUM = process.env.FANZHA_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = path.resolve('test-results/console');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const NAV_PATHS = [
  '/console',
  '/console/cases',
  '/console/investigations',
  '/console/access',
  '/console/canaries',
  '/console/incidents',
  '/console/guard',
  '/console/settings',
];

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  const msg = `browser tests need Chromium at ${CHROMIUM} (apt-get install -y chromium; .ci/run installs it)`;
  if (process.env.CI) throw new Error(msg);
  console.log(`\n*** console browser tests SKIPPED: ${msg}\n`);
}

/** Records everything that counts as a page problem. */
function watch(page: Page) {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // ERR_ABORTED is the browser cancelling its own request (a navigation away while a lazy chunk or a
  // fetch is still in flight, timing-dependent on a loaded machine); the server's failures show as HTTP
  // statuses below and broken connections as other errors, which still count.
  page.on('requestfailed', (r) => {
    const error = r.failure()?.errorText;
    if (error !== 'net::ERR_ABORTED') problems.push(`request failed: ${r.method()} ${r.url()} ${error}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  return problems;
}

/** Elements wider than the window (none on any page, at any width), named for the failure message. */
async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type El = { tagName: string; className: unknown; getBoundingClientRect(): { right: number }; parentElement: El | null };
    const doc = (
      globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number }; querySelectorAll(s: string): Iterable<El> } }
    ).document;
    const d = doc.documentElement;
    if (d.scrollWidth <= d.clientWidth + 1) return [];
    // the outermost elements that stick out (their children stick out with them)
    const wide = [...doc.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > d.clientWidth + 1);
    const outer = wide.filter((e) => !wide.includes(e.parentElement!)).slice(0, 3);
    return [
      `page is ${d.scrollWidth}px wide in a ${d.clientWidth}px window: ${outer.map((e) => `${e.tagName.toLowerCase()}.${String(e.className).split(' ')[0]}`).join(', ')}`,
    ];
  });
}

/** The main region's visible text, without machine values (ids, indicator values, times, charts). */
async function screenText(page: Page): Promise<string> {
  return page.locator('main').evaluate((main) => {
    const copy = (
      main as unknown as { cloneNode(deep: boolean): { querySelectorAll(s: string): Iterable<{ remove(): void }>; textContent: string | null } }
    ).cloneNode(true);
    for (const el of copy.querySelectorAll('.mono, time, code, pre, canvas, svg')) el.remove();
    return copy.textContent ?? '';
  });
}

async function axeSerious(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run(o: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }
    ).axe;
    const r = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}) at ${v.targets.join(', ')}`);
}

describe('console in a browser', { skip: !haveChromium && `no Chromium at ${CHROMIUM}` }, () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  before(async () => {
    assert.ok(existsSync(path.join(CONSOLE_DIST, 'index.html')), 'console/dist is built (npm test runs scripts/build-console.mjs first)');
    mkdirSync(SHOTS, { recursive: true });
    t = await createTestApp(testDialects()[0]!, { logLevel: 'warn' });
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      // playwright gives every launch a fresh temporary profile (user-data-dir) of its own.
    });
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function newContext(opts: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
    // bypassCSP only so the test can inject axe-core; the app's own scripts load under the real CSP.
    return browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true, ...opts });
  }

  /** Every area on, answered from the fixtures; returns the keys served. */
  async function serveFixtures(ctx: BrowserContext): Promise<string[]> {
    const allOn = Object.fromEntries(Object.keys(FEATURE_PROBES).map((k) => [k, true]));
    const served: string[] = [];
    await ctx.route(/\/v1\/(?!console\/session|keys)/, async (route) => {
      const req = route.request();
      const url = new URL(req.url());
      const key = `${req.method()} ${url.pathname}`;
      if (key === 'GET /v1/console/features') return route.fulfill({ json: { features: allOn } });
      if (key in FIXTURES) {
        served.push(key);
        return route.fulfill({ json: FIXTURES[key] });
      }
      return route.fallback();
    });
    return served;
  }

  // The main pages on a phone, in Chinese: nothing wider than the window, no raw enum value (machine
  // values in .mono, times and charts excepted), no serious accessibility violation. On a laptop the
  // same checks run over every screen in the fixture test below.
  const MAIN_PAGES: [string, string][] = [
    ['/console', 'overview'],
    ['/console/cases', 'cases'],
    ['/console/cases/case_k1', 'case'],
    ['/console/investigations/inv_7', 'investigation'],
    ['/console/incidents/inc_1', 'incident'],
    ['/console/access', 'access'],
    ['/console/settings', 'settings'],
  ];
  it(`main pages at 390×844 in zh-CN: no horizontal overflow, no raw enum value, axe without serious violations`, async () => {
    const ctx = await newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await serveFixtures(ctx);
    const page = await ctx.newPage();
    const problems = watch(page);
    await page.goto(`${base}/console`);
    await page.getByLabel('API 密钥').fill(t.keys.analyst);
    assert.deepEqual(await overflow(page), [], 'sign-in fits the window');
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('main h1').first().waitFor();
    await page.waitForLoadState('networkidle');
    const found: string[] = [];
    for (const [p, name] of MAIN_PAGES) {
      await page.goto(`${base}${p}`);
      await page.locator('main h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      for (const o of await overflow(page)) found.push(`${p}: overflow ${o}`);
      for (const v of rawEnumsIn(await screenText(page))) found.push(`${p}: raw enum "${v}"`);
      for (const v of await axeSerious(page)) found.push(`${p}: ${v}`);
      await page.screenshot({ path: path.join(SHOTS, `main-${name}-390x844.png`), fullPage: true });
      // every chart has loaded its chunk (so the next navigation aborts nothing)
      await page.waitForFunction(
        () => !(globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector('main [aria-busy="true"]'),
      );
      await page.waitForLoadState('networkidle');
    }
    const nav = page.getByRole('navigation', { name: '主导航' });
    assert.equal(await nav.isVisible(), false, 'the navigation is collapsed on a phone');
    await page.getByRole('button', { name: '菜单' }).tap();
    await nav.locator('a[href="/console/cases"]').tap();
    await page.waitForURL(`${base}/console/cases`);
    await page.waitForLoadState('networkidle');
    assert.equal(await nav.isVisible(), false, 'and closes again after navigating');
    assert.deepEqual(found, []);
    assert.deepEqual(problems, []);
    await ctx.close();
  });

  it('an admin signs in, visits every page without errors or serious accessibility violations, and signs out', async () => {
    const ctx = await newContext();
    const page = await ctx.newPage();
    const problems = watch(page);
    await page.goto(`${base}/console`);
    await page.getByRole('heading', { name: '登录控制台' }).waitFor();
    assert.deepEqual(await axeSerious(page), [], 'sign-in page accessibility');
    await page.screenshot({ path: path.join(SHOTS, 'sign-in.png') });
    await page.getByLabel('API 密钥').fill(t.keys.admin);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '总览', level: 1 }).waitFor();
    const cookies = await ctx.cookies();
    const session = cookies.find((c) => c.name === 'fanzha_session');
    assert.ok(session?.httpOnly, 'session cookie is HttpOnly');
    assert.equal(session?.sameSite, 'Strict');
    assert.ok(
      !String(await page.evaluate('JSON.stringify(localStorage) + document.cookie')).includes(t.keys.admin.slice(9)),
      'the key is kept nowhere in the page',
    );

    for (const p of NAV_PATHS) {
      const link = page.getByRole('navigation', { name: '主导航' }).locator(`a[href="${p}"]`);
      await link.click();
      await page.waitForURL(`${base}${p}`);
      await page.locator('main h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      assert.equal(await link.getAttribute('aria-current'), 'page', `${p} is marked current`);
      assert.deepEqual(await axeSerious(page), [], `${p} accessibility`);
      await page.screenshot({ path: path.join(SHOTS, `${p.split('/').pop() || 'overview'}.png`), fullPage: true });
    }
    // Settings → API keys works for real: create a key and see it listed.
    await page.getByLabel('名称').fill('browser-test desk');
    await page.getByRole('button', { name: '创建密钥' }).click();
    assert.match((await page.getByTestId('new-key').textContent()) ?? '', /^fz_analyst_/);
    await page.getByRole('cell', { name: 'browser-test desk' }).waitFor();

    // Masking rules, templates and history, for real
    const tabs = page.getByRole('navigation', { name: '设置分页' });
    const shoot = async (name: string) => {
      await page.waitForLoadState('networkidle');
      assert.deepEqual(await axeSerious(page), [], `${name} accessibility`);
      await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
    };
    await tabs.getByRole('link', { name: '脱敏规则' }).click();
    await page.waitForURL(`${base}/console/settings/masking`);
    const agentName = page.getByLabel('客服（agent）看到的姓名');
    await agentName.waitFor();
    assert.equal(await page.getByTestId('example-agent-name').textContent(), '示例：刘*');
    await agentName.selectOption('hide');
    assert.equal(await page.getByTestId('example-agent-name').textContent(), '示例：（不显示）', 'the example follows the select box');
    await page.getByRole('button', { name: '保存规则' }).click();
    await page.getByRole('status').filter({ hasText: '已保存，立即生效。' }).waitFor();
    assert.equal((await t.ctx.services.masking.roles()).agent.name, 'hide', 'stored on the server');
    await shoot('settings-masking');

    await tabs.getByRole('link', { name: '通知模板' }).click();
    await page.waitForURL(`${base}/console/settings/templates`);
    await page.getByRole('button', { name: '编辑: 退款申请提醒 · 中文' }).click();
    const text = page.getByLabel('正文');
    await text.fill('【{shop}】订单已申请退款。我们不会来电索要验证码。');
    // the caret after 订单 (no DOM types in the server's tsconfig)
    await text.evaluate((el) => (el as unknown as { setSelectionRange(a: number, b: number): void }).setSelectionRange(10, 10));
    await page.getByRole('button', { name: '插入变量 orderId' }).click();
    assert.equal(await text.inputValue(), '【{shop}】订单{orderId}已申请退款。我们不会来电索要验证码。', 'the chip inserts at the caret');
    await page.getByRole('button', { name: '预览' }).click();
    assert.match((await page.getByTestId('preview-text').textContent()) ?? '', /^【本店】订单D20260714001已申请退款/);
    await shoot('settings-template-editor');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '已保存' }).waitFor();
    await page.getByRole('cell', { name: '已修改', exact: true }).waitFor();

    await tabs.getByRole('link', { name: '变更记录' }).click();
    await page.waitForURL(`${base}/console/settings/history`);
    await page.getByText('客服（agent） · 姓名: 部分脱敏 → 不显示').waitFor();
    await page.getByRole('cell', { name: '通知模板：退款申请提醒（中文）' }).waitFor();
    await shoot('settings-history');
    await t.ctx.services.masking.reset({ keyId: 'test', keyName: 'browser test', role: 'admin' });
    // the keys page loads its lists before the test moves on (leaving mid-request aborts them,
    // which the watcher rightly counts as failed requests)
    await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/keys'),
      page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/warning-list'),
      tabs.getByRole('link', { name: '密钥与官方渠道' }).click(),
    ]);

    // A deep link loads directly, and the language switch works.
    await page.goto(`${base}/console/cases`);
    await page.getByRole('heading', { name: '案件', level: 1 }).waitFor();
    await page.getByRole('button', { name: '语言' }).click();
    await page.getByRole('heading', { name: 'Cases', level: 1 }).waitFor();
    assert.equal(await page.evaluate('document.documentElement.lang'), 'en');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    assert.equal(
      (await ctx.cookies()).find((c) => c.name === 'fanzha_session'),
      undefined,
      'cookie cleared',
    );
    assert.deepEqual(problems, []);
    await ctx.close();
  });

  it('an analyst sees the console without admin-only data', async () => {
    const ctx = await newContext();
    const page = await ctx.newPage();
    const problems = watch(page);
    await page.goto(`${base}/console/settings`);
    await page.getByLabel('API 密钥').fill(t.keys.analyst);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('只有管理员可以管理 API 密钥。').waitFor();
    assert.deepEqual(problems, []);
    await ctx.close();
  });

  it('with every area present (fixture data in the documented shapes), every screen renders, fits a laptop window, shows no raw enum value, stays accessible and logs no error', async () => {
    const ctx = await newContext();
    const served = await serveFixtures(ctx);
    const page = await ctx.newPage();
    const problems = watch(page);
    await page.goto(`${base}/console`);
    await page.getByLabel('API 密钥').fill(t.keys.analyst);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('37', { exact: true }).waitFor();
    await page.locator('canvas').first().waitFor();
    const pages: [string, string][] = [
      ['/console', 'overview'],
      ['/console/cases', 'cases'],
      ['/console/cases/case_k1', 'case'],
      ['/console/investigations/inv_7', 'investigation'],
      ['/console/access', 'access'],
      ['/console/canaries', 'canaries'],
      ['/console/incidents', 'incidents'],
      ['/console/incidents/inc_1', 'incident'],
      ['/console/guard', 'guard'],
      ['/console/settings', 'settings'],
      ['/console/settings/masking', 'settings-masking'],
      ['/console/settings/templates', 'settings-templates'],
      ['/console/settings/history', 'settings-history'],
    ];
    for (const [p, name] of pages) {
      await page.goto(`${base}${p}`);
      await page.locator('main h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      assert.equal(await page.locator('.state-unavailable, .state-error').count(), 0, `${p} shows its data`);
      assert.deepEqual(await overflow(page), [], `${p} fits the window`);
      assert.deepEqual(rawEnumsIn(await screenText(page)), [], `${p} shows no raw enum value`);
      assert.deepEqual(await axeSerious(page), [], `${p} accessibility with data`);
      await page.screenshot({ path: path.join(SHOTS, `data-${name}.png`), fullPage: true });
    }
    await page.goto(`${base}/console/investigations/inv_7`);
    await page.getByRole('cell', { name: /外包客服 · 张\*/ }).waitFor();
    assert.match((await page.locator('tbody tr').first().textContent()) ?? '', /张\*.*11 \/ 12/, 'the planted leaker is ranked first with its coverage');
    assert.ok(served.includes('GET /v1/investigations/inv_7') && served.includes('GET /v1/cases/case_k1'));
    assert.ok(
      ['', '/notify', '/customers'].every((s) => served.includes(`GET /v1/incidents/inc_1${s}`)),
      'the incident page reads its detail, progress and affected ids',
    );
    // The fixture rules and texts are what the screens show
    await page.waitForLoadState('networkidle'); // the chart chunk of the page before finishes loading
    await page.goto(`${base}/console/settings/history`);
    await page.getByText('客服（agent） · 地址: 仅省市 → 不显示').waitFor();
    await page.goto(`${base}/console/settings/masking`);
    assert.equal(await page.getByTestId('example-admin-phone').textContent(), '示例：+8613812345678');
    assert.equal(await page.getByLabel('客服（agent）看到的地址').isDisabled(), true, 'an analyst reads the rules, cannot edit them');
    await page.getByRole('button', { name: '语言' }).click();
    await page.getByLabel('Address as Agent (customer service) sees it').waitFor();
    assert.equal(await page.getByTestId('example-agent-address').textContent(), 'Example: (not shown)');
    assert.deepEqual(await axeSerious(page), [], 'masking rules in English');
    await page.screenshot({ path: path.join(SHOTS, 'data-settings-masking-en.png'), fullPage: true });
    assert.deepEqual(problems, []);
    await ctx.close();
  });

  // the whole path on the demo shop that `npm start` loads, through the real API.
  it('on the demo shop an analyst investigates the demo case, finds the planted leaker first, opens and contains an incident; an admin notifies and downloads the reports', async () => {
    const demo = await createTestApp(testDialects()[0]!, { logLevel: 'warn' });
    try {
      const lines: string[] = [];
      const world = await loadDemo(demo.ctx, (l) => lines.push(l));
      assert.ok(world, 'the demo loads into an empty database');
      // as `serve` does: the notify worker delivers the notices (to the default log channel)
      await startAreas(demo.ctx, AREAS);
      const demoBase = await demo.app.listen({ host: '127.0.0.1', port: 0 });
      const caseId = /"caseId":"([^"]+)"/.exec(lines.join('\n'))?.[1];
      assert.ok(caseId, 'the demo names the case to investigate');
      // The test (never the code under test) reads the simulator's truth to know who leaked.
      const leaker = world.principals.find((p) => p.id === world.truth.leakers[0])!;

      const ctx = await newContext({ acceptDownloads: true });
      const page = await ctx.newPage();
      const problems = watch(page);
      await page.goto(`${demoBase}/console/cases`);
      await page.getByLabel('API 密钥').fill(demo.keys.analyst);
      await page.getByRole('button', { name: '登录' }).click();
      await page.getByRole('heading', { name: '案件', level: 1 }).waitFor();
      await page.getByRole('link', { name: caseId }).click();
      await page.getByRole('heading', { name: caseId, level: 1 }).waitFor();
      await page.getByRole('button', { name: '发起溯源调查' }).click();
      await page.getByRole('heading', { name: /^溯源调查 · /, level: 1 }).waitFor({ timeout: 120_000 });
      const firstSuspect = page.locator('main table').first().locator('tbody tr').first();
      assert.match(
        (await firstSuspect.textContent()) ?? '',
        new RegExp(`^${(leaker.name ?? leaker.id).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*已归因`),
        'the planted leaker is ranked first and attributed',
      );
      await page.screenshot({ path: path.join(SHOTS, 'demo-investigation.png'), fullPage: true });

      await page.getByRole('button', { name: '创建泄露事件' }).click();
      await page.waitForURL(/\/console\/incidents\/inc_/);
      const incidentUrl = page.url();
      const id = decodeURIComponent(incidentUrl.split('/').pop()!);
      await page.getByText('待处置', { exact: true }).waitFor();
      const opened = (await demo.app.inject({ method: 'GET', url: `/v1/incidents/${id}`, headers: demo.auth('analyst') })).json();
      assert.deepEqual(opened.principalIds, [leaker.id], "the incident names the investigation's attributed principal");
      assert.ok(opened.affected > 0, 'customers are in scope');
      assert.equal(await page.getByTestId('affected').textContent(), new Intl.NumberFormat('zh-CN').format(opened.affected));
      await page.locator('canvas').first().waitFor();
      await page.waitForLoadState('networkidle');
      assert.deepEqual(await axeSerious(page), [], 'incident page accessibility (open)');
      await page.screenshot({ path: path.join(SHOTS, 'demo-incident-open.png'), fullPage: true });

      // a scope edit needs a reason: refused in the form first, then recorded with it
      await page.getByRole('button', { name: '修改范围' }).click();
      await page.getByRole('checkbox', { name: '价格' }).uncheck();
      await page.getByRole('button', { name: '保存范围' }).click();
      await page.getByText('请说明修改原因（至少 3 个字）').waitFor();
      assert.deepEqual(await axeSerious(page), [], 'scope form accessibility (with an error)');
      await page.screenshot({ path: path.join(SHOTS, 'demo-incident-scope-form.png'), fullPage: true });
      await page.getByLabel('修改原因（必填，会记录在事件中）').fill('来电者从未提到价格');
      await page.getByRole('button', { name: '保存范围' }).click();
      await page.getByText('范围已更新，受影响客户已重新计算。').waitFor();
      await page.getByText('来电者从未提到价格').waitFor();
      const edited = (await demo.app.inject({ method: 'GET', url: `/v1/incidents/${id}`, headers: demo.auth('analyst') })).json();
      assert.ok(!edited.fields.includes('price') && edited.fields.length === opened.fields.length - 1, 'the field left the scope');
      assert.equal(edited.from, opened.from, 'an untouched window bound is not sent back rounded');
      assert.equal(edited.events.at(-1).reason, '来电者从未提到价格');

      // the analyst contains it, after confirming; notifying is not offered to an analyst
      assert.equal(await page.getByRole('button', { name: '通知受影响客户' }).count(), 0);
      await page.getByRole('button', { name: '控制泄露' }).click();
      const confirmContain = page.getByRole('alertdialog', { name: '确认控制泄露？' });
      assert.match((await confirmContain.textContent()) ?? '', new RegExp(leaker.id));
      await confirmContain.getByRole('button', { name: '确认控制' }).click();
      await page.getByText('已控制：密钥已吊销，查看权限已冻结。').waitFor();
      await page.getByTestId('containment').waitFor();
      assert.match(
        (await page.getByTestId('containment').textContent()) ?? '',
        new RegExp(`${leaker.id}.*未配置`),
        'frozen principal and webhook status shown',
      );
      assert.equal((await demo.app.inject({ method: 'GET', url: `/v1/incidents/${id}`, headers: demo.auth('analyst') })).json().state, 'contained');
      assert.match((await page.locator('.incident-timeline').textContent()) ?? '', /待处置 → 已控制/);
      await page.screenshot({ path: path.join(SHOTS, 'demo-incident-contained.png'), fullPage: true });
      assert.deepEqual(problems, [], 'analyst: no console errors or failed requests');
      await ctx.close();

      // an admin notifies every affected customer, after a confirmation naming how many
      const actx = await newContext({ acceptDownloads: true });
      const admin = await actx.newPage();
      const adminProblems = watch(admin);
      await admin.goto(incidentUrl);
      await admin.getByLabel('API 密钥').fill(demo.keys.admin);
      await admin.getByRole('button', { name: '登录' }).click();
      await admin.getByRole('button', { name: '通知受影响客户' }).click();
      const count = new Intl.NumberFormat('zh-CN').format(edited.affected);
      const confirmNotify = admin.getByRole('alertdialog', { name: '确认通知客户？' });
      assert.match((await confirmNotify.textContent()) ?? '', new RegExp(`将向 ${count} 位客户各发送一次泄露通知`));
      await admin.screenshot({ path: path.join(SHOTS, 'demo-incident-confirm-notify.png'), fullPage: true });
      await confirmNotify.getByRole('button', { name: `通知 ${count} 位客户` }).click();
      await admin.getByText('已通知', { exact: true }).first().waitFor({ timeout: 60_000 });
      await admin.getByText('已处理 100%').waitFor({ timeout: 90_000 });
      const progress = (await demo.app.inject({ method: 'GET', url: `/v1/incidents/${id}/notify`, headers: demo.auth('admin') })).json();
      assert.equal(progress.enqueued, edited.affected, 'one notice per affected customer');
      assert.equal(progress.queued, 0);
      assert.equal(await admin.getByRole('progressbar').getAttribute('aria-valuenow'), '100');
      await admin.waitForLoadState('networkidle');
      assert.deepEqual(await axeSerious(admin), [], 'incident page accessibility (notified, admin)');
      await admin.screenshot({ path: path.join(SHOTS, 'demo-incident-notified.png'), fullPage: true });

      // the reports download: Markdown and PDF (the PDF needs the CJK font CI installs)
      const [md] = await Promise.all([admin.waitForEvent('download'), admin.getByRole('button', { name: '监管报告 · Markdown' }).click()]);
      assert.equal(md.suggestedFilename(), `${id}-regulator.md`);
      const text = readFileSync((await md.path())!, 'utf8');
      assert.ok(text.includes(id) && text.includes(leaker.id), 'the regulator report names the incident and the principal');
      const [pdf] = await Promise.all([admin.waitForEvent('download'), admin.getByRole('button', { name: '事后复盘 · PDF' }).click()]);
      assert.equal(pdf.suggestedFilename(), `${id}-postmortem.pdf`);
      assert.equal(
        readFileSync((await pdf.path())!)
          .subarray(0, 5)
          .toString('latin1'),
        '%PDF-',
      );
      assert.deepEqual(adminProblems, [], 'admin: no console errors or failed requests');
      await actx.close();
    } finally {
      await demo.close();
    }
  });

  it('a customer files a report on a phone-sized screen', async () => {
    const ctx = await newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const page = await ctx.newPage();
    const problems = watch(page);
    await page.goto(`${base}/report`);
    await page.getByRole('note').filter({ hasText: '请不要在这里填写银行卡号' }).waitFor();
    assert.deepEqual(await axeSerious(page), [], '/report accessibility');
    await page.screenshot({ path: path.join(SHOTS, 'report-1.png'), fullPage: true });
    const hasReports = (await (await page.request.get(`${base}/v1/console/features`)).json()).features.reports as boolean;

    await page.getByRole('button', { name: '下一步' }).tap();
    assert.equal(await page.getByText('请填写此项').count(), 2, 'step 1 asks for time and channel');
    await page.locator('input[name="contactAt"]').fill('2026-07-15T10:30');
    await page.getByText('电话', { exact: true }).tap();
    await page.locator('input[name="callerNumbers"]').fill('021-5555-0101');
    await page.getByRole('button', { name: '下一步' }).tap();
    await page.getByText('正在退款', { exact: true }).tap();
    await page.getByText('购买的商品').tap();
    await page.getByText('退款出了问题').tap();
    await page.getByRole('button', { name: '下一步' }).tap();
    await page.getByText('是的', { exact: true }).tap();
    await page.locator('input[name="amount"]').fill('5000');
    await page.getByText('短信验证码', { exact: true }).tap();
    await page.getByRole('alert').filter({ hasText: '冻结银行卡' }).waitFor();
    assert.equal(await page.locator('input[type="text"][name*="card"], input[name*="code"]').count(), 0, 'secrets are checkboxes only');
    await page.screenshot({ path: path.join(SHOTS, 'report-3.png'), fullPage: true });
    await page.getByRole('button', { name: '下一步' }).tap();
    await page.getByRole('heading', { name: '请确认以下内容' }).waitFor();
    assert.deepEqual(await axeSerious(page), [], '/report review step accessibility');
    if (hasReports) {
      await page.getByRole('button', { name: '提交举报' }).tap();
      await page.getByRole('heading', { name: '已收到你的举报' }).waitFor();
      const ack = (await page.locator('.ack').textContent()) ?? '';
      assert.doesNotMatch(ack, /021-5555-0101|5000/, 'the acknowledgement reveals nothing submitted');
    } else {
      await page.getByText('举报服务暂未开放').waitFor();
      assert.equal(await page.getByRole('button', { name: '提交举报' }).isDisabled(), true, 'no submit to a missing endpoint');
    }
    await page.screenshot({ path: path.join(SHOTS, 'report-4.png'), fullPage: true });
    assert.deepEqual(problems, []);
    await ctx.close();
  });

  it('an analyst finds a filed report in its case: statistics, money path, indicator graph and timeline from the real endpoints', async () => {
    const body = {
      clientId: 'browser-case-1',
      contactAt: '2026-07-15T10:30:00+08:00',
      channel: 'call',
      callerNumbers: ['021-5555-0199'],
      knewFields: ['items', 'refund'],
      scriptTags: ['refund-problem'],
      urls: ['http://shop-tuikuan-browser.example/refund'],
      payments: [{ amount: 3200, currency: 'CNY', method: 'bank-transfer', payeeName: '某某浏览器测试有限公司' }],
      exposed: ['sms-code'],
    };
    const filed = await t.app.inject({ method: 'POST', url: '/v1/reports', headers: t.auth('agent'), payload: body });
    assert.equal(filed.statusCode, 201, filed.body);
    const { caseId, reference } = filed.json() as { caseId: string; reference: string };

    const ctx = await newContext();
    const page = await ctx.newPage();
    const problems = watch(page);
    await page.goto(`${base}/console/cases`);
    await page.getByLabel('API 密钥').fill(t.keys.analyst);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '案件', level: 1 }).waitFor();
    await page.getByRole('link', { name: caseId }).click();
    await page.getByRole('heading', { name: caseId, level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    await page.getByText(reference).waitFor();
    await page.getByText('某某浏览器测试有限公司').first().waitFor();
    assert.match((await page.locator('.kv').textContent()) ?? '', /¥3,200/, 'the loss is shown in yuan');
    await page.locator('canvas').first().waitFor();
    assert.equal(await page.locator('.state-unavailable, .state-error').count(), 0);
    assert.deepEqual(await axeSerious(page), [], 'case page accessibility with real data');
    await page.screenshot({ path: path.join(SHOTS, 'real-case.png'), fullPage: true });
    assert.deepEqual(problems, []);
    await ctx.close();
  });

  it('the public checker works on a phone and passes the accessibility check', async () => {
    const ctx = await newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await ctx.newPage();
    const problems = watch(page);
    await page.goto(`${base}/check`);
    await page.getByRole('heading', { name: '这是官方渠道吗？' }).waitFor();
    assert.deepEqual(await axeSerious(page), [], '/check accessibility');
    await page.getByLabel('号码、短信发送方或链接').fill('021 5555 0101');
    await page.getByRole('button', { name: '查询' }).tap();
    await page.getByRole('status').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'check.png'), fullPage: true });
    assert.deepEqual(problems, []);
    await ctx.close();
  });
});
