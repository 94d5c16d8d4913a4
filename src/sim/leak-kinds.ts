// The attacks of the shaped worlds (issue #13): who leaks, what they leak, which leaked customers
// the scammers call and who reports. A world is a shop (shaped-shop.ts) plus one leak kind; the
// product sees the shop's events and the reports (SimShop), the ground truth stays in `truth`.
// Callers quote the order (item, price, date), so reports name the order and the known fields
// are order-level where the leak carried them.
import { Prng } from './prng.ts';
import { FIELD_BIT as F, maskToFields, type AccessField } from '../lib/fields.ts';
import { chineseName } from './sim.data.ts';
import { scamCallDelay, type SimLogin, type SimReport, type SimShop } from './world.ts';
import { READS, type Shop } from './shaped-shop.ts';
import { drawReporters, type ReportSubject, type SelectionMechanism } from './reporter-selection.ts';

const H = 3_600_000;
const DAY = 24 * H;

export const LEAK_KINDS = ['insider', 'api-burst', 'big-seller', 'regional-courier', 'cs-company', 'two-leakers', 'account-takeover', 'no-leak'] as const;
export type LeakKind = (typeof LEAK_KINDS)[number];

export interface ShapedTruth {
  kind: LeakKind;
  seed: number;
  /** What a right answer names: principal ids, or `org:NAME` for a company leaking through its agents. */
  leakers: string[];
  /** Every principal that leaked (for a company: its agents); none of them is an innocent. */
  leakingPrincipals: string[];
  leakStart: string;
  /** Per report, in contact order: the leaker it came from, or null (noise, takeover, no leak). */
  reportSources: (string | null)[];
}

export type ShapedWorld = SimShop & { truth: ShapedTruth };

export interface LeakOptions {
  /** Reports from the leak (split evenly between two leakers). */
  victims?: number;
  /** Unrelated reports (default: the shape's noiseReports). */
  noise?: number;
  /** For no-leak: how reporters are selected, and how much likelier the selected trait makes a report. */
  selection?: SelectionMechanism;
  bias?: number;
  /** Reports in a no-leak world (default victims + noise). */
  reporters?: number;
  /**
   * For no-leak: a bulk API client also reads 2,000 recent orders in two hours one night, as in
   * api-burst, but leaks nothing (a legitimate re-sync): an innocent with a read burst.
   */
  innocentBurst?: boolean;
}

interface Leaked {
  customer: number;
  order: number;
  at: number;
  fields: number;
  source: string;
}

/** A world of the given leak kind over `shop` (which is not modified; reads an attack adds go to a copy). */
export function leakWorld(shop: Shop, kind: LeakKind, seed: number, o: LeakOptions = {}): ShapedWorld {
  const rx = new Prng((seed * 40503 + LEAK_KINDS_SALT[kind] + shop.seed * 7) >>> 0);
  const nVictims = o.victims ?? 14;
  const nNoise = o.noise ?? shop.shape.noiseReports;
  const { roles, principals } = shop;
  const leakStart = shop.start + Math.floor(shop.shape.days * 0.5) * DAY + rx.int(0, Math.max(1, Math.floor(shop.shape.days * 0.1))) * DAY;
  const id = (p: number) => principals[p]!.id;
  let access = shop.access;
  let logins = shop.logins;
  const leakers: string[] = [];
  const leaking = new Set<number>();
  const pools: Leaked[][] = [];

  const readsOf = (ps: Set<number>, filter: (fields: number) => boolean = () => true, source?: string): Leaked[] => {
    const out: Leaked[] = [];
    const a = access;
    for (let i = 0; i < a.n; i++) {
      const p = a.principal[i]!;
      if (!ps.has(p) || a.at[i]! < leakStart || a.order[i]! < 0 || !filter(a.fields[i]!)) continue;
      out.push({ customer: a.customer[i]!, order: a.order[i]!, at: a.at[i]!, fields: a.fields[i]!, source: source ?? id(p) });
    }
    return out;
  };
  const busiest = (list: number[], filter: (fields: number) => boolean) => {
    // the leaker is someone with real work: one of the busier half after the leak began
    const counts = list.map((p) => ({ p, n: readsOf(new Set([p]), filter).length })).sort((a, b) => b.n - a.n || a.p - b.p);
    return counts[rx.int(0, Math.max(1, Math.ceil(counts.length / 2)))]!.p;
  };
  const single = (p: number, filter?: (fields: number) => boolean) => {
    leakers.push(id(p));
    leaking.add(p);
    pools.push(readsOf(new Set([p]), filter));
  };
  const burstReads = () => {
    // a bulk API client reads 2,000 recent orders in two hours one night
    const p = roles.bulkApi[rx.int(0, roles.bulkApi.length)] ?? roles.crm;
    const night = leakStart + rx.int(0, 7) * DAY + 17 * H + rx.int(0, 2 * H); // 01:00–03:00 Beijing
    const recent = shop.orders.map((_, i) => i).filter((i) => shop.orders[i]!.placedAt < night && shop.orders[i]!.placedAt >= night - 30 * DAY);
    const take = Math.min(2000, recent.length);
    for (let k = 0; k < take; k++) {
      const j = k + rx.int(0, recent.length - k);
      [recent[k], recent[j]] = [recent[j]!, recent[k]!];
    }
    if (access === shop.access) access = shop.access.clone();
    const pool: Leaked[] = [];
    for (let k = 0; k < take; k++) {
      const ord = recent[k]!;
      const at = night + Math.floor((k / take) * 2 * H);
      access.push(p, shop.orders[ord]!.customer, ord, READS.bulkApi, at, 1);
      pool.push({ customer: shop.orders[ord]!.customer, order: ord, at, fields: READS.bulkApi, source: id(p) });
    }
    return { p, pool };
  };
  const burst = () => {
    // a bulk API client's key, stolen: its burst is the leak
    const { p, pool } = burstReads();
    leakers.push(id(p));
    leaking.add(p);
    pools.push(pool);
  };
  const refundReads = (f: number) => (f & F.refund) !== 0;

  switch (kind) {
    case 'insider':
      single(busiest(roles.aftersales, refundReads), refundReads);
      break;
    case 'api-burst':
      burst();
      break;
    case 'big-seller':
      single(roles.sellers[0]!);
      break;
    case 'regional-courier':
      single(roles.couriers[rx.int(0, roles.couriers.length)]!);
      break;
    case 'cs-company': {
      const company = roles.csByCompany[rx.int(0, roles.csByCompany.length)]!;
      const org = principals[company[0]!]!.org!;
      leakers.push(`org:${org}`);
      for (const p of company) leaking.add(p);
      pools.push(readsOf(new Set(company), undefined));
      break;
    }
    case 'two-leakers':
      single(busiest(roles.aftersales, refundReads), refundReads);
      burst();
      break;
    case 'account-takeover': {
      const r = stuffing(shop, rx, leakStart);
      logins = [...shop.logins, ...r.logins].sort((a, b) => a.at - b.at);
      pools.push(r.leaked);
      break;
    }
    case 'no-leak':
      if (o.innocentBurst) burstReads();
      break;
  }

  // the scammers call some of the leaked customers; the victims report
  const subjects: (ReportSubject & { source: string | null })[] = [];
  const taken = new Set<number>();
  pools.forEach((pool, k) => {
    const want = Math.floor(nVictims / pools.length) + (k < nVictims % pools.length ? 1 : 0);
    let got = 0;
    for (const l of shuffled(pool, rx)) {
      if (got >= want) break;
      if (taken.has(l.customer)) continue;
      const contactAt = Math.round(l.at + scamCallDelay(rx));
      if (contactAt >= shop.end) continue;
      taken.add(l.customer);
      got++;
      subjects.push({
        customer: l.customer,
        order: l.order,
        contactAt,
        knewFields: knownFields(l.fields, rx),
        source: l.source === 'account-takeover' ? null : kind === 'cs-company' ? leakers[0]! : l.source,
      });
    }
  });
  if (kind === 'no-leak') {
    for (const s of drawReporters(shop, o.selection ?? 'chance', o.bias ?? 1, o.reporters ?? nVictims + nNoise, rx)) {
      subjects.push({ ...s, source: null });
      taken.add(s.customer);
    }
  } else {
    for (const s of drawReporters(shop, 'chance', 1, nNoise, rx, taken, leakStart)) subjects.push({ ...s, source: null });
  }
  subjects.sort((a, b) => a.contactAt - b.contactAt || a.customer - b.customer);

  const reports = subjects.map((s) => reportBody(shop, s, rx));
  return {
    options: { seed: shop.seed },
    start: shop.start,
    end: shop.end,
    principals: shop.principals,
    customers: shop.customers,
    orders: shop.orders,
    refunds: shop.refunds,
    exports: shop.exports,
    access,
    logins,
    reports,
    reportSubjects: subjects.map(({ customer, order, contactAt, knewFields }) => ({ customer, order, contactAt, knewFields })),
    truth: {
      kind,
      seed,
      leakers,
      leakingPrincipals: [...leaking].map(id),
      leakStart: new Date(leakStart).toISOString(),
      reportSources: subjects.map((s) => s.source),
    },
  };
}

const LEAK_KINDS_SALT: Record<LeakKind, number> = {
  insider: 11,
  'api-burst': 23,
  'big-seller': 37,
  'regional-courier': 41,
  'cs-company': 53,
  'two-leakers': 67,
  'account-takeover': 79,
  'no-leak': 83,
};

/** What the caller knew: name and phone, and order-level fields the leak carried (item, date, price…). */
function knownFields(leaked: number, rx: Prng): AccessField[] {
  const knew: AccessField[] = ['name', 'phone'];
  const have = maskToFields(leaked);
  for (const [f, p] of [
    ['items', 0.9],
    ['placedAt', 0.6],
    ['price', 0.5],
    ['refund', 0.9],
    ['orderNo', 0.3],
    ['address', 0.2],
  ] as const)
    if (have.includes(f) && rx.chance(p)) knew.push(f);
  return knew;
}

/** Credential stuffing: waves of failed logins, successes where passwords were reused; the account page leaks. */
function stuffing(shop: Shop, rx: Prng, from: number): { logins: SimLogin[]; leaked: Leaked[] } {
  const logins: SimLogin[] = [];
  const leaked: Leaked[] = [];
  for (let w = 0, waves = rx.int(3, 6); w < waves; w++) {
    const waveAt = from + rx.int(0, Math.max(1, Math.floor((shop.end - from) / DAY) - 2)) * DAY + rx.int(0, DAY);
    const botIp = `203.0.${rx.int(0, 255)}.${rx.int(1, 255)}`;
    for (let c = 0; c < shop.customers.length; c++) {
      if (!shop.ordersOf[c]!.length || !rx.chance(0.03)) continue;
      let at = waveAt + rx.int(0, 6 * H);
      for (let k = 0, fails = rx.int(3, 9); k < fails; k++)
        logins.push({ customer: c, at: (at += rx.int(2_000, 30_000)), ok: false, ip: botIp, device: `bot-${w}-${rx.int(0, 50)}` });
      if (!rx.chance(0.25)) continue;
      at += rx.int(2_000, 30_000);
      logins.push({ customer: c, at, ok: true, ip: `198.51.${rx.int(0, 255)}.${rx.int(1, 255)}`, device: `bot-${w}-${rx.int(50, 99)}` });
      const o = shop.ordersOf[c]!.filter((x) => shop.orders[x]!.placedAt < at).at(-1) ?? shop.ordersOf[c]![0]!;
      leaked.push({ customer: c, order: o, at, fields: F.name | F.phone | F.address | F.items | F.orderNo | F.price | F.placedAt, source: 'account-takeover' });
    }
  }
  return { logins, leaked };
}

function shuffled<T>(xs: readonly T[], r: Prng): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = r.int(0, i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** A scam report as the body of POST /v1/reports, naming the order the caller quoted. */
function reportBody(shop: Shop, s: ReportSubject, rx: Prng): SimReport {
  const ord = shop.orders[s.order]!;
  const item = ord.items[0]!;
  const lost = rx.chance(0.35);
  const amount = lost ? Math.round(500 + rx.exp(4000)) : 0;
  const refund = s.knewFields.includes('refund');
  return {
    contactAt: new Date(s.contactAt).toISOString(),
    channel: 'call',
    callerNumbers: [`+86 170${String(rx.int(0, 1e8)).padStart(8, '0')}`],
    claimedIdentity: '店铺客服',
    knewFields: s.knewFields,
    scriptTags: [refund ? 'refund problem' : rx.pick(['compensation', 'order stuck'])],
    orderIds: [ord.id],
    urls: [],
    apps: [],
    payments: lost
      ? [
          {
            amount,
            currency: 'CNY',
            method: rx.pick(['bank_transfer', 'alipay', 'wechat_pay']),
            payeeName: chineseName(rx),
            payeeAccount: `6222${String(rx.int(0, 1e8)).padStart(8, '0')}${String(rx.int(0, 1e4)).padStart(4, '0')}`,
          },
        ]
      : [],
    exposed: [],
    narrative: `对方自称店铺客服，说出了我买的${item.title}（${item.color}，${item.price}元），说${refund ? '退款出了问题' : '商品有质量问题要理赔'}，让我${lost ? `按提示转账${amount}元` : '打开链接操作，我觉得不对挂断了'}。`,
  };
}

/** The world with its truth kept apart: what the CLI writes and tests hand to the product. */
export function shopView(w: ShapedWorld): SimShop {
  const { truth: _truth, ...shop } = w;
  return shop;
}
