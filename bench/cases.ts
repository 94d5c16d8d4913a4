// bench/cases.ts — two measurements for the reports and links areas.
//
// 1. Case clustering: 1,000,000 synthetic reports (scam operations of Zipf-distributed size,
//    each report carrying 1–3 of its operation's phones/accounts/domains, some a shared payment
//    processor id that the over-correlation cap must stop, some a one-off value) absorbed one by
//    one by the incremental clusterer the service uses (union by size, relabel the smaller side,
//    cap), against ONE from-scratch union-find over the same data (path halving, union by size).
//    The ratio says what keeping cases current on every arrival costs compared with a single
//    batch; a batch after every arrival would cost the batch time per report instead.
//    Then the real service path (ReportsService.submit on SQLite) for a few thousand reports.
// 2. Link checks: the symmetric-delete look-alike detector against a naive pairwise scan that
//    computes the Levenshtein distance from each candidate to every brand label, over the same
//    brand list (the default list, and a 1,000-brand list).
//
// 3. Case quality (hindsight): rings written in many spellings (bench/lib/scam-rings.ts), a
//    quarter of reports naming the payment processor as payee, 30% carrying a processor's
//    merchant id; reports arrive one at a time. Pairwise precision and recall of the current rule
//    (hindsight.ts + the institution list + link scrubbing) next to the old rule (a value links
//    until 50 reports carry it; no list) — the named baseline. Then the same at national scale
//    (the processor in tens of thousands of reports): the incremental cost per report against a
//    rebuild of all components, and the SQL service path.
//
// Run: npx tsx bench/cases.ts [reports=1000000]   (BENCH_ONLY=cases|links|quality for one part)
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { IncrementalClusters, batchClusters, canonicalPartition } from '../src/reports/clustering.ts';
import { HindsightClusters, rebuildClusters } from '../src/reports/hindsight.ts';
import { scamRings, pairwise, type RawReport } from './lib/scam-rings.ts';
import { linkKeys } from './lib/ring-keys.ts';
import { LookalikeDetector, brandFromDomain } from '../src/links/lookalike.ts';
import { DEFAULT_BRANDS } from '../src/links/links.service.ts';
import { loadConfig } from '../src/config/config.ts';
import { createContext, closeContext } from '../src/app/bootstrap.ts';
import { AREAS } from '../src/app/areas.ts';
import { createLogger } from '../src/http/logger.ts';
import { tempDir } from '../src/testing/dialects.ts';
import { openDatabase } from '../src/db/database.ts';
import path from 'node:path';
import { mulberry32 } from '../src/lib/seeded-random.ts';

// Deterministic PRNG (mulberry32) so every run sees the same data.
const rng = mulberry32;

const N = Number(process.argv[2] ?? 1_000_000);
const CAP = 50;

function makeReports(n: number): string[][] {
  const r = rng(42);
  const ops = Math.max(10, Math.floor(n / 20));
  const out: string[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    // Zipf-like operation size: a few big gangs, a long tail of small ones.
    const op = Math.floor(ops * Math.pow(r(), 2.2));
    const k = 1 + Math.floor(r() * 3);
    const keys: string[] = [];
    for (let j = 0; j < k; j++) {
      const kind = ['p', 'a', 'd'][Math.floor(r() * 3)]!;
      keys.push(`${kind}${op}.${Math.floor(r() * 6)}`);
    }
    if (r() < 0.05) keys.push('merchant:processor-1'); // shared by 5% of reports: must stop linking at the cap
    if (r() < 0.3) keys.push(`u${i}`); // a one-off value
    out[i] = [...new Set(keys)];
  }
  return out;
}

function time<T>(fn: () => T): [T, number] {
  const s = performance.now();
  const v = fn();
  return [v, performance.now() - s];
}

async function clustering() {
  console.log(`\n== case clustering: ${N.toLocaleString()} reports, cap ${CAP} ==`);
  const [reports, genMs] = time(() => makeReports(N));
  console.log(`generated in ${(genMs / 1000).toFixed(1)} s`);
  const [batch, batchMs] = time(() => batchClusters(reports, CAP));
  const [inc, incMs] = time(() => {
    const c = new IncrementalClusters(CAP);
    for (let i = 0; i < reports.length; i++) c.add(i, reports[i]!);
    return c;
  });
  const want = canonicalPartition(batch);
  const same = canonicalPartition(inc.caseOf).every((v, i) => v === want[i]);
  console.log(`from-scratch union-find (baseline): ${batchMs.toFixed(0)} ms for all reports`);
  console.log(
    `incremental, one report at a time:  ${incMs.toFixed(0)} ms  (${((N / incMs) * 1000).toFixed(0)} reports/s, ${inc.caseCount.toLocaleString()} cases, ${inc.merges.length.toLocaleString()} merges)`,
  );
  console.log(`ratio incremental / one batch: ${(incMs / batchMs).toFixed(2)}x   same partition: ${same}`);
  console.log(
    `per arrival: incremental ${((incMs / N) * 1000).toFixed(2)} µs vs re-running the batch ${batchMs.toFixed(0)} ms → ${(batchMs / (incMs / N)).toExponential(2)}x`,
  );
}

async function service(n: number) {
  console.log(`\n== service path: ReportsService.submit on SQLite, ${n} reports ==`);
  const dir = tempDir('fanzha-bench-');
  const config = loadConfig({ FANZHA_DATA_DIR: dir, FANZHA_DB: `sqlite:${path.join(dir, 'b.db')}` });
  const database = openDatabase(config.db);
  const ctx = await createContext(config, { areas: AREAS, database, logger: createLogger('warn'), masterKey: { key: randomBytes(32), source: 'env' } });
  const reports = makeReports(n);
  const s = performance.now();
  for (let i = 0; i < n; i++) {
    const keys = reports[i]!;
    await ctx.services.reports.submit(
      {
        contactAt: new Date(Date.UTC(2026, 6, 15)).toISOString(),
        channel: 'call',
        knewFields: ['name'],
        scriptTags: ['refund-problem'],
        orderIds: [],
        apps: [],
        socialAccounts: [],
        exposed: [],
        evidence: [],
        callerNumbers: keys.filter((k) => k.startsWith('p')).map((k) => `+86139${String(Math.abs(hash(k)) % 1e8).padStart(8, '0')}`),
        urls: keys.filter((k) => k.startsWith('d')).map((k) => `http://${k.replace('.', '-')}.example.cn/`),
        payments: keys
          .filter((k) => k.startsWith('a') || k.startsWith('merchant'))
          .map((k) =>
            k.startsWith('a')
              ? { amount: 100, currency: 'CNY', method: 'bank-transfer' as const, payeeAccount: String(6222000000000000 + Math.abs(hash(k))) }
              : { amount: 1, currency: 'CNY', method: 'alipay' as const, merchantId: 'PROC-1' },
          ),
      },
      undefined,
    );
  }
  const ms = performance.now() - s;
  console.log(`${n} reports in ${(ms / 1000).toFixed(1)} s → ${((n / ms) * 1000).toFixed(0)} reports/s (validate, redact, normalise, cluster, store)`);
  await closeContext(ctx);
}

/** The ring reports through the real service path (validate, redact, normalise, institution list, cluster in hindsight, store). */
async function serviceRings(n: number) {
  const rings = Math.max(12, Math.floor(n / 30));
  console.log(`\n== service path in hindsight: ReportsService.submit on SQLite, ${n} ring reports (${rings} rings) ==`);
  const dir = tempDir('fanzha-bench-');
  const config = loadConfig({ FANZHA_DATA_DIR: dir, FANZHA_DB: `sqlite:${path.join(dir, 'b.db')}` });
  const database = openDatabase(config.db);
  const ctx = await createContext(config, { areas: AREAS, database, logger: createLogger('warn'), masterKey: { key: randomBytes(32), source: 'env' } });
  const w = scamRings(n, rings, 11);
  const ids: string[] = [];
  const s = performance.now();
  for (const r of w.reports) {
    const res = await ctx.services.reports.submit(
      {
        contactAt: new Date(Date.UTC(2026, 6, 15)).toISOString(),
        channel: 'call',
        knewFields: ['name'],
        scriptTags: ['refund-problem'],
        orderIds: [],
        apps: [],
        socialAccounts: [],
        exposed: [],
        evidence: [],
        callerNumbers: r.callerNumbers,
        urls: r.urls,
        payments: r.payments.map((p) => ({ amount: 100, currency: 'CNY', method: 'bank-transfer' as const, ...p })),
      },
      undefined,
    );
    ids.push(res.reportId);
  }
  const ms = performance.now() - s;
  const rows = new Map((await database.db.selectFrom('reports').select(['id', 'case_id']).execute()).map((x) => [x.id, x.case_id]));
  const label = new Map<string, number>();
  const pred = ids.map((id) => {
    const c = rows.get(id)!;
    if (!label.has(c)) label.set(c, label.size);
    return label.get(c)!;
  });
  const splits = await database.db
    .selectFrom('case_splits')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  console.log(
    `${n} reports in ${(ms / 1000).toFixed(1)} s → ${((n / ms) * 1000).toFixed(0)} reports/s; ${label.size} cases, ${Number(splits.n)} splits recorded; ${fmt(pairwise(pred, w.ring))}`,
  );
  await closeContext(ctx);
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h;
}

function levenshtein(a: string, b: string): number {
  const prev = new Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

function linkBench(brands: string[], label: string) {
  const r = rng(7);
  const labels = brands.map((d) => brandFromDomain(d)!).filter(Boolean);
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const candidates: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    const b = labels[Math.floor(r() * labels.length)]!;
    const p = Math.floor(r() * b.label.length);
    const c = letters[Math.floor(r() * 26)]!;
    const v = [b.label.slice(0, p) + c + b.label.slice(p), b.label.slice(0, p) + b.label.slice(p + 1), b.label + '-kefu', `www${b.label}`][i % 4]!;
    candidates.push(i % 2 ? `${v}.${b.suffix}` : `${Array.from({ length: 8 }, () => letters[Math.floor(r() * 26)]).join('')}.com`);
  }
  const detector = new LookalikeDetector(brands);
  const [hits, dMs] = time(() => candidates.reduce((n, h) => n + (detector.check(h) ? 1 : 0), 0));
  const [naiveHits, nMs] = time(() =>
    candidates.reduce((n, h) => {
      const l = h.split('.')[0]!;
      return n + (labels.some((b) => levenshtein(l, b.label) <= 1) ? 1 : 0);
    }, 0),
  );
  const dRate = (candidates.length / dMs) * 1000;
  const nRate = (candidates.length / nMs) * 1000;
  console.log(`${label}: ${labels.length} brands, ${candidates.length} hosts`);
  console.log(`  detector (all techniques):             ${dRate.toFixed(0)} checks/s, ${hits} look-alikes`);
  console.log(`  naive pairwise edit distance (≤1 only): ${nRate.toFixed(0)} checks/s, ${naiveHits} matches (baseline)`);
  console.log(`  ratio detector / naive: ${(dRate / nRate).toFixed(1)}x`);
}

function syntheticBrands(n: number): string[] {
  const r = rng(99);
  const syl = [
    'tao',
    'bao',
    'jing',
    'dong',
    'mei',
    'tuan',
    'pin',
    'duo',
    'xiao',
    'hong',
    'shu',
    'kuai',
    'shou',
    'wei',
    'xin',
    'zhi',
    'fu',
    'yin',
    'lian',
    'hua',
    'long',
    'feng',
    'yun',
    'tian',
    'mao',
    'su',
    'ning',
    'dang',
    'ke',
    'ji',
  ];
  const out = new Set<string>();
  while (out.size < n)
    out.add(
      `${Array.from({ length: 2 + Math.floor(r() * 2) }, () => syl[Math.floor(r() * syl.length)]).join('')}.${['com', 'cn', 'com.cn', 'net'][Math.floor(r() * 4)]}`,
    );
  return [...out];
}

const fmt = (x: { precision: number; recall: number }) => `precision ${x.precision.toFixed(3)}  recall ${x.recall.toFixed(3)}`;

function quality() {
  console.log('\n== case quality: rings in many spellings, a quarter of reports name the processor as payee, 30% carry its merchant id ==');
  const worlds: [number, number][] = [
    [178, 12],
    [1000, 40],
    [5000, 150],
  ];
  for (const [n, rings] of worlds) {
    for (const seed of [1, 2, 3]) {
      const w = scamRings(n, rings, seed);
      const now = new HindsightClusters();
      const old = new IncrementalClusters(50);
      w.reports.forEach((r, i) => {
        now.add(i, linkKeys(r, true));
        old.add(i, linkKeys(r, false));
      });
      console.log(
        `${String(n).padStart(5)} reports, ${String(rings).padStart(3)} rings, seed ${seed}:  hindsight ${fmt(pairwise(now.caseOf, w.ring))} (${now.caseCount} cases, ${now.splits.length} splits, ${now.overCorrelated.size} values unlinked)` +
          `   |   old cap-50 rule (baseline) ${fmt(pairwise(old.caseOf, w.ring))} (${old.caseCount} cases)`,
      );
    }
  }
}

function nationalScale(n: number) {
  const rings = Math.max(12, Math.floor(n / 30));
  console.log(`\n== national scale: ${n.toLocaleString()} reports, ${rings.toLocaleString()} rings, processor payee in 25%, merchant id in 30% ==`);
  const w = scamRings(n, rings, 7);
  const keys = w.reports.map((r: RawReport) => linkKeys(r, true));
  const counts = new Map<string, number>();
  for (const ks of keys) for (const k of ks) counts.set(k, (counts.get(k) ?? 0) + 1);
  console.log(`most-carried value: ${Math.max(...counts.values()).toLocaleString()} reports`);
  const [inc, incMs] = time(() => {
    const c = new HindsightClusters();
    for (let i = 0; i < n; i++) c.add(i, keys[i]!);
    return c;
  });
  const [rebuilt, rebuildMs] = time(() => rebuildClusters(keys, inc.isFit));
  const incPartition = canonicalPartition(inc.caseOf);
  const same = canonicalPartition(rebuilt).every((v, i) => v === incPartition[i]);
  console.log(
    `incremental, one report at a time: ${incMs.toFixed(0)} ms (${((incMs / n) * 1000).toFixed(1)} µs per report; ${inc.splits.length} splits; ${(inc.visited / n).toFixed(1)} reports visited by tests and splits per arrival)`,
  );
  console.log(`one rebuild of all components (baseline): ${rebuildMs.toFixed(0)} ms   same partition as the incremental result: ${same}`);
  console.log(
    `per arrival: incremental ${((incMs / n) * 1000).toFixed(1)} µs vs a rebuild ${rebuildMs.toFixed(0)} ms → rebuild / incremental = ${(rebuildMs / (incMs / n)).toFixed(0)}x`,
  );
  console.log(`quality at this scale: ${fmt(pairwise(inc.caseOf, w.ring))}`);
}

const only = process.env.BENCH_ONLY;
if (!only || only === 'quality') {
  quality();
  nationalScale(Number(process.env.BENCH_NATIONAL_REPORTS ?? 200_000));
  await serviceRings(Number(process.env.BENCH_SERVICE_REPORTS ?? 3000));
}
if (!only || only === 'cases') {
  await clustering();
  await service(Number(process.env.BENCH_SERVICE_REPORTS ?? 3000));
}
if (!only || only === 'links') {
  console.log('\n== link checks ==');
  linkBench(DEFAULT_BRANDS, 'default brand list');
  linkBench(syntheticBrands(1000), 'synthetic 1,000-brand list');
}
