// Scam rings written the way victims write them, for the case-quality benchmark. Each ring has a
// few phones, links, payee accounts and shell-company names; each report names one to three of
// them in one of many spellings (spacing, full-width digits, +86/0086, brackets, defanged or
// personalised links carrying the victim's own phone). A quarter of reports name the payment
// processor as the payee (in several spellings of its full name), and a share of reports carry a
// processor's merchant id (not on any list: only the evidence can stop it). The ring each report
// came from is returned apart, for scoring only.
import { mulberry32 } from '../../src/lib/seeded-random.ts';

export interface RawReport {
  callerNumbers: string[];
  urls: string[];
  payments: { payeeAccount?: string; payeeName?: string; merchantId?: string }[];
}

export const rng = mulberry32;

const fw = (s: string) => s.replace(/[0-9A-Za-z.]/g, (c) => String.fromCharCode(c === '.' ? 0xff0e : c.charCodeAt(0) + 0xfee0));

export function phoneSpellings(p: string): string[] {
  // p: 11-digit mobile
  return [
    p,
    `+86 ${p.slice(0, 3)} ${p.slice(3, 7)} ${p.slice(7)}`,
    `${p.slice(0, 3)}-${p.slice(3, 7)}-${p.slice(7)}`,
    fw(p),
    `0086${p}`,
    `86 ${p}`,
    `(+86) ${p}`,
  ];
}
export function urlSpellings(host: string, path: string, victimPhone: string): string[] {
  return [
    `http://${host}/${path}`,
    `HTTPS://${host.toUpperCase()}/${path}`,
    `${host.replace('.', '[.]')}/${path}`,
    `hxxp://${host}/${path}`,
    fw(host) + `/${path}`,
    `https://${host}/${path}?id=${victimPhone}`,
    `https://${host}/${path}?mobile=${victimPhone}&from=sms`,
  ];
}
export function accountSpellings(a: string): string[] {
  return [a, a.replace(/(\d{4})(?=\d)/g, '$1 '), a.replace(/(\d{4})(?=\d)/g, '$1-'), fw(a)];
}
export function companySpellings(c: string): string[] {
  return [c, c.replace('(', '（').replace(')', '）'), c.replace('(', ' (').replace(')', ') '), ` ${c} `];
}
export const PROCESSOR_NAMES = [
  '支付宝（中国）网络技术有限公司',
  '支付宝(中国)网络技术有限公司',
  '支付宝 (中国) 网络技术有限公司',
  'Alipay.com Co., Ltd',
  '支付宝',
];
export const PROCESSOR_MERCHANT_ID = ['2088 1021 7788 9901', '2088-1021-7788-9901', '208810217788 9901'];

export interface RingWorld {
  reports: RawReport[];
  ring: number[];
}

/**
 * `rings` rings with sizes from a Zipf-like law summing to about `n`. `processorShare` of reports
 * name the processor as payee, `merchantShare` carry the processor's merchant id.
 */
export function scamRings(n: number, rings: number, seed: number, processorShare = 0.25, merchantShare = 0.3): RingWorld {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const digits = (k: number) => Array.from({ length: k }, () => Math.floor(r() * 10)).join('');
  const weights = Array.from({ length: rings }, (_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  // Rings rotate what gets blocked: a big ring uses more phones, links and accounts over its life
  // (one more per couple of hundred victims), not the same three for tens of thousands of calls.
  const more = (i: number, per: number) => Math.floor(((weights[i]! / total) * n) / per);
  const world = Array.from({ length: rings }, (_, i) => ({
    phones: Array.from({ length: 2 + Math.floor(r() * 3) + more(i, 200) }, () => `1${pick(['3', '5', '7', '8'])}${digits(9)}`),
    hosts: Array.from(
      { length: 1 + Math.floor(r() * 3) + more(i, 400) },
      () => `${pick(['jd', 'tb', 'pdd', 'kf', 'tk'])}-${pick(['refund', 'kefu', 'tuikuan', 'lipei'])}${i}${digits(2)}.${pick(['cn', 'top', 'xyz', 'com'])}`,
    ),
    accounts: Array.from({ length: 1 + Math.floor(r() * 3) + more(i, 200) }, () => `6222${digits(15)}`),
    companies: Array.from(
      { length: 1 + Math.floor(r() * 2) + more(i, 500) },
      () =>
        `${pick(['深圳市', '杭州', '广州市', '上海'])}${pick(['鑫源', '恒达', '博远', '汇通', '盛世'])}${digits(4)}(${pick(['商贸', '科技', '网络'])})有限公司`,
    ),
  }));
  const reports: RawReport[] = [];
  const ring: number[] = [];
  for (let i = 0; i < n; i++) {
    let x = r() * total;
    let g = 0;
    while (g < rings - 1 && (x -= weights[g]!) > 0) g++;
    const w = world[g]!;
    const victim = `139${digits(8)}`;
    const rep: RawReport = { callerNumbers: [], urls: [], payments: [] };
    const k = 1 + Math.floor(r() * 3);
    for (let j = 0; j < k; j++) {
      const what = r();
      if (what < 0.35) rep.callerNumbers.push(pick(phoneSpellings(pick(w.phones))));
      else if (what < 0.6) rep.urls.push(pick(urlSpellings(pick(w.hosts), pick(['login', 'r', 'claim']), victim)));
      else if (what < 0.85) rep.payments.push({ payeeAccount: pick(accountSpellings(pick(w.accounts))) });
      else rep.payments.push({ payeeName: pick(companySpellings(pick(w.companies))) });
    }
    if (r() < processorShare) rep.payments.push({ payeeName: pick(PROCESSOR_NAMES) });
    if (r() < merchantShare) rep.payments.push({ merchantId: pick(PROCESSOR_MERCHANT_ID) });
    reports.push(rep);
    ring.push(g);
  }
  return { reports, ring };
}

/** Pairwise precision and recall of a clustering against the truth (contingency counts, O(n)). */
export function pairwise(pred: ArrayLike<number>, truth: ArrayLike<number>): { precision: number; recall: number } {
  const c2 = (x: number) => (x * (x - 1)) / 2;
  const byPred = new Map<number, number>();
  const byTruth = new Map<number, number>();
  const both = new Map<string, number>();
  for (let i = 0; i < pred.length; i++) {
    byPred.set(pred[i]!, (byPred.get(pred[i]!) ?? 0) + 1);
    byTruth.set(truth[i]!, (byTruth.get(truth[i]!) ?? 0) + 1);
    const k = `${pred[i]}/${truth[i]}`;
    both.set(k, (both.get(k) ?? 0) + 1);
  }
  let tp = 0;
  for (const v of both.values()) tp += c2(v);
  let pp = 0;
  for (const v of byPred.values()) pp += c2(v);
  let tt = 0;
  for (const v of byTruth.values()) tt += c2(v);
  return { precision: pp ? tp / pp : 1, recall: tt ? tp / tt : 1 };
}
