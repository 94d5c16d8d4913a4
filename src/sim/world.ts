// The simulated shop: customers, orders, refunds, principals and how each of them reads data,
// plus the attack of a scenario, the scammers' calls and the victims' reports. Everything is
// drawn from one seeded Prng, so (scenario, seed, knobs) always yields the same world.
// The ground truth (who leaked, which customers) is kept in `truth`, which the code under test
// never reads: the CLI writes it to its own file.
import { Prng } from './prng.ts';
import { AccessColumns } from './access-columns.ts';
import { CATALOGUE, NAMES, address, chineseName, mobileNumber, shopName } from './sim.data.ts';
import { FIELD_BIT, maskToFields, type AccessField } from '../lib/fields.ts';

export const SCENARIOS = ['insider-agent', 'courier', 'api-client', 'seller', 'two-leakers', 'no-leak'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface SimOptions {
  scenario: Scenario;
  seed: number;
  customers: number;
  days: number;
  principals: number;
  /** Epoch ms of the first day (Beijing midnight). */
  start?: number;
  /** Skip the per-customer weekly recommendation reads (they dominate volume at bench scale). */
  lightBatch?: boolean;
  /**
   * Privacy waybills: courier export rows carry a virtual number per (courier, customer) instead
   * of the real phone (src/canaries/exports.service.ts, phone "virtual"). The provider forwards
   * calls to the customer, so the attack and the reports are unchanged, but a call from a record a
   * courier leaked reaches its virtual number and the provider sees it (`substituteCalls`).
   */
  privacyWaybills?: boolean;
}

export type PrincipalRole = 'cs' | 'aftersales' | 'warehouse' | 'courier' | 'seller' | 'bi' | 'reco' | 'api' | 'ops';
export interface SimPrincipal {
  id: string;
  kind: 'staff' | 'partner' | 'system' | 'api_client';
  role: PrincipalRole;
  name: string;
  org?: string;
  team?: string;
  /** 0: 08–16, 1: 16–24, 2: 00–08 (Beijing time), for staff on shifts. */
  shift?: number;
}
export interface SimCustomer {
  id: string;
  name: string;
  phone: string;
  address: { province: string; city: string; district: string; line: string };
  createdAt: number;
}
export interface SimItem {
  sku: string;
  title: string;
  model: string;
  color: string;
  size?: string;
  price: number;
  quantity: number;
}
export interface SimOrder {
  id: string;
  customer: number;
  placedAt: number;
  items: SimItem[];
  total: number;
  seller: number;
  courier: number;
  shippedAt: number;
}
export interface SimRefund {
  id: string;
  order: number;
  requestedAt: number;
  completedAt: number;
  handler: number;
}
export interface SimExport {
  id: string;
  principal: number;
  orders: number[];
  at: number;
  fields: number;
}
/** A virtual number the shop gave one export recipient for one customer (the exports' substitute table). */
export interface SimSubstitute {
  principal: number;
  customer: number;
  phone: string;
}
/** A call the virtual-number provider saw reach a substitute (what it reports to POST /v1/exports/substitutes/calls). */
export interface SimSubstituteCall {
  phone: string;
  at: number;
}
export interface SimLogin {
  customer: number;
  at: number;
  ok: boolean;
  ip: string;
  device: string;
}

/** A scam report shaped as the body of POST /v1/reports. */
export interface SimReport {
  contactAt: string;
  channel: 'call';
  callerNumbers: string[];
  claimedIdentity: string;
  knewFields: AccessField[];
  scriptTags: string[];
  orderIds: string[];
  urls: string[];
  apps: string[];
  payments: { amount: number; currency: 'CNY'; method: string; payeeName?: string; payeeAccount?: string; institution?: string }[];
  exposed: string[];
  narrative: string;
}

export interface SimTruthVictim {
  customerId: string;
  orderId: string;
  contactAt: string;
  source: string;
  reported: boolean;
  lostMoney: boolean;
}
export interface SimTruth {
  scenario: Scenario;
  seed: number;
  /** Principal ids that leaked (empty in no-leak). */
  leakers: string[];
  leakStart: string;
  leakedCustomers: number;
  /** Customers whose accounts were taken over (no-leak). */
  takenOver: number;
  victims: SimTruthVictim[];
}

export interface SimWorld {
  options: Required<Omit<SimOptions, 'lightBatch' | 'privacyWaybills'>> & { lightBatch: boolean; privacyWaybills: boolean };
  start: number;
  end: number;
  principals: SimPrincipal[];
  customers: SimCustomer[];
  orders: SimOrder[];
  refunds: SimRefund[];
  exports: SimExport[];
  access: AccessColumns;
  logins: SimLogin[];
  reports: SimReport[];
  /** Per report: the customer and order it is about (what a signed-in report would link). */
  reportSubjects: { customer: number; order: number; contactAt: number; knewFields: AccessField[] }[];
  truth: SimTruth;
  /** With `privacyWaybills`: the virtual numbers given to couriers (product side), else empty. */
  substitutes: SimSubstitute[];
  /**
   * With `privacyWaybills`: the provider's log of scam calls that reached a virtual number, in
   * the period and after it (leads bought before the end and called later), else empty.
   */
  substituteCalls: SimSubstituteCall[];
  /**
   * The world's attack model, for continuing the world after the investigation (the simulator's
   * observation of canaries). Like `truth`, the system under test never reads it.
   */
  attack: SimAttack;
}

/**
 * What the system under test may see of a world: the shop's data (as events) and its scam
 * reports, never the ground truth or the attack model. Both simulators (this one and the shop
 * shapes of shaped-shop.ts) produce it; the event emitter and the index take only this.
 */
export type SimShop = Pick<
  SimWorld,
  'start' | 'end' | 'principals' | 'customers' | 'orders' | 'refunds' | 'exports' | 'access' | 'logins' | 'reports' | 'reportSubjects'
> & { options: { seed: number } };

export interface SimAttack {
  /** Leaking principals (indices) and the share of what they receive after the period that they leak. */
  leakers: { principal: number; share: number }[];
  leakStart: number;
  /** Share of leaked leads the scammers call (their capacity over the leads on offer). */
  callShare: number;
  /** Leads leaked in the period (what `callShare` was computed over). */
  leads: number;
}

const H = 3_600_000;
const DAY = 24 * H;
export const DEFAULT_START = Date.UTC(2026, 7, 1) - 8 * H;

const F = FIELD_BIT;
const CS_READ = F.name | F.phone | F.items | F.orderNo | F.placedAt;
const AFTERSALES_READ = F.name | F.phone | F.address | F.items | F.price | F.refund | F.orderNo;
const WAREHOUSE_READ = F.name | F.address | F.items | F.orderNo;
const COURIER_EXPORT = F.name | F.phone | F.address | F.items | F.orderNo;
const SELLER_READ = F.name | F.phone | F.address | F.items | F.price | F.orderNo | F.placedAt;
const BI_READ = F.name | F.phone | F.address | F.items | F.price | F.placedAt | F.orderNo | F.refund;
const RECO_READ = F.name | F.items;
const ERP_READ = F.name | F.address | F.items | F.orderNo;
const CRM_READ = F.name | F.phone | F.email;
const SMS_READ = F.phone;
const OPS_READ = F.name | F.phone | F.items | F.orderNo | F.price;

/** The fields a principal reads of an order in its ordinary work (what a canary exposed to it shows it). */
export function readFieldsOf(p: SimPrincipal): number {
  const api = [ERP_READ, CRM_READ, SMS_READ, F.name | F.email | F.price | F.orderNo, F.name | F.phone | F.refund | F.orderNo, F.name | F.items];
  const byRole: Record<PrincipalRole, number> = {
    cs: CS_READ,
    aftersales: AFTERSALES_READ,
    warehouse: WAREHOUSE_READ,
    courier: COURIER_EXPORT,
    seller: SELLER_READ,
    bi: BI_READ,
    reco: RECO_READ,
    api: 0,
    ops: OPS_READ,
  };
  return p.role === 'api' ? (api[Number(p.id.slice(4)) - 1] ?? CRM_READ) : byRole[p.role];
}

/** How long after buying a lead the scammers call it. */
export function scamCallDelay(r: Prng): number {
  return 2 * H + r.exp(1.5 * DAY);
}

/** Beijing hour of day (0–23) of an epoch-ms time. */
export function bjHour(t: number): number {
  return Math.floor(((((t + 8 * H) % DAY) + DAY) % DAY) / H);
}

function shiftOf(t: number): number {
  const h = bjHour(t);
  return h >= 8 && h < 16 ? 0 : h >= 16 ? 1 : 2;
}

export function generateWorld(opts: SimOptions): SimWorld {
  const start = opts.start ?? DEFAULT_START;
  const days = opts.days;
  const end = start + days * DAY;
  const root = new Prng(opts.seed * 7919 + SCENARIOS.indexOf(opts.scenario) * 104729 + 17);
  const rp = root.fork(1); // principals
  const rc = root.fork(2); // customers and orders
  const ra = root.fork(3); // access patterns
  const rx = root.fork(4); // attack and scammers
  const rl = root.fork(5); // logins

  // ---- principals -------------------------------------------------------------------------
  const principals: SimPrincipal[] = [];
  const P = Math.max(60, opts.principals);
  const nCouriers = 4;
  const nSystems = 2;
  const nApi = 6;
  const nAftersales = Math.max(8, Math.round(P * 0.08));
  const nWarehouse = Math.max(6, Math.round(P * 0.1));
  const nSellers = Math.max(6, Math.round(P * 0.15));
  const nOps = Math.max(3, Math.round(P * 0.03));
  const nCs = Math.max(12, P - nCouriers - nSystems - nApi - nAftersales - nWarehouse - nSellers - nOps);
  const byRole: Record<PrincipalRole, number[]> = { cs: [], aftersales: [], warehouse: [], courier: [], seller: [], bi: [], reco: [], api: [], ops: [] };
  const add = (p: SimPrincipal) => {
    byRole[p.role].push(principals.length);
    principals.push(p);
  };
  const vendors = NAMES.VENDOR_NAMES.slice(0, 3);
  for (let i = 0; i < nCs; i++) {
    const v = i % vendors.length;
    add({
      id: `cs-${v + 1}-${String(i + 1).padStart(4, '0')}`,
      kind: 'staff',
      role: 'cs',
      name: chineseName(rp),
      org: vendors[v],
      team: `客服${['早', '晚', '夜'][shiftOf(0) * 0 + (i % 7 < 3 ? 0 : i % 7 < 6 ? 1 : 2)]}班`,
      shift: i % 7 < 3 ? 0 : i % 7 < 6 ? 1 : 2,
    });
  }
  for (let i = 0; i < nAftersales; i++)
    add({
      id: `as-${String(i + 1).padStart(4, '0')}`,
      kind: 'staff',
      role: 'aftersales',
      name: chineseName(rp),
      org: '本店',
      team: '售后组',
      shift: i % 5 < 3 ? 0 : 1,
    });
  for (let i = 0; i < nWarehouse; i++)
    add({
      id: `wh-${(i % 3) + 1}-${String(i + 1).padStart(4, '0')}`,
      kind: 'staff',
      role: 'warehouse',
      name: chineseName(rp),
      org: '本店',
      team: `${['华南', '华东', '华北'][i % 3]}仓`,
      shift: i % 2,
    });
  const courierShares = [0.86, 0.07, 0.04, 0.03];
  for (let i = 0; i < nCouriers; i++) add({ id: `courier-${i + 1}`, kind: 'partner', role: 'courier', name: NAMES.COURIERS[i]!, org: NAMES.COURIERS[i] });
  const sellerWeights: number[] = [];
  for (let i = 0; i < nSellers; i++) {
    add({ id: `seller-${String(i + 1).padStart(4, '0')}`, kind: 'partner', role: 'seller', name: shopName(rp), org: '第三方商家' });
    sellerWeights.push(1 / Math.pow(i + 1, 0.8)); // a few large sellers, a long tail
  }
  add({ id: 'sys-bi', kind: 'system', role: 'bi', name: 'BI 数据仓库同步' });
  add({ id: 'sys-reco', kind: 'system', role: 'reco', name: '推荐系统离线任务' });
  const apiNames = ['ERP 对接', 'CRM 会员系统', '短信营销平台', '电子发票服务', '售后工单系统', '直播带货插件'];
  for (let i = 0; i < nApi; i++) add({ id: `api-${i + 1}`, kind: 'api_client', role: 'api', name: apiNames[i]! });
  for (let i = 0; i < nOps; i++)
    add({ id: `ops-${String(i + 1).padStart(3, '0')}`, kind: 'staff', role: 'ops', name: chineseName(rp), org: '本店', team: '运营部' });
  const onShift = (role: 'cs' | 'aftersales' | 'warehouse', t: number, r: Prng, filter?: (p: number) => boolean): number => {
    const s = shiftOf(t);
    const list = byRole[role];
    for (let tries = 0; tries < 40; tries++) {
      const p = list[r.int(0, list.length)]!;
      const ps = principals[p]!.shift ?? 0;
      if ((ps === s || (role !== 'cs' && s === 2 && ps === 1)) && (!filter || filter(p))) return p;
    }
    return list[r.int(0, list.length)]!;
  };

  // ---- customers and orders ---------------------------------------------------------------
  const customers: SimCustomer[] = [];
  const orders: SimOrder[] = [];
  const ordersOf: number[][] = [];
  const hourWeights = [1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 1.5, 2.5, 3, 3.2, 3.5, 3.8, 3.4, 3.2, 3.2, 3.3, 3.5, 3.8, 4.5, 5.5, 6, 5, 2.5];
  const hours = hourWeights.map((_, i) => i);
  const orderTime = (r: Prng) => start + r.int(0, days) * DAY + r.weighted(hours, hourWeights) * H + r.int(0, H);
  for (let c = 0; c < opts.customers; c++) {
    customers.push({
      id: `C${String(c + 1).padStart(8, '0')}`,
      name: chineseName(rc),
      phone: mobileNumber(rc),
      address: address(rc),
      createdAt: start - rc.int(1, 900) * DAY,
    });
    ordersOf.push([]);
    // Order counts: most customers order once or twice in the period, a few are frequent buyers.
    const k = rc.chance(0.3) ? 0 : 1 + Math.floor(rc.exp(0.8) * (days / 60));
    for (let j = 0; j < k; j++) {
      const placedAt = orderTime(rc);
      const nItems = rc.chance(0.75) ? 1 : rc.int(2, 4);
      const items: SimItem[] = [];
      for (let i = 0; i < nItems; i++) {
        const cat = rc.pick(CATALOGUE);
        items.push({
          sku: cat.sku,
          title: cat.title,
          model: rc.pick(cat.models),
          color: rc.pick(cat.colors),
          ...(cat.sizes ? { size: rc.pick(cat.sizes) } : {}),
          price: cat.price,
          quantity: rc.chance(0.9) ? 1 : 2,
        });
      }
      const seller = rc.chance(0.4) ? byRole.seller[indexByWeight(rc, sellerWeights)]! : -1;
      const courier = byRole.courier[indexByWeight(rc, courierShares)]!;
      orders.push({
        id: `E${String(20260000000 + orders.length * 7 + (opts.seed % 7))}`,
        customer: c,
        placedAt,
        items,
        total: items.reduce((s, i) => s + i.price * i.quantity, 0),
        seller,
        courier,
        shippedAt: 0,
      });
      ordersOf[c]!.push(orders.length - 1);
    }
  }

  // ---- reads that follow the life of each order --------------------------------------------
  const access = new AccessColumns();
  const exports: SimExport[] = [];
  const refunds: SimRefund[] = [];
  const shippedByCourierDay = new Map<number, number[]>();
  const api = byRole.api;
  for (let o = 0; o < orders.length; o++) {
    const ord = orders[o]!;
    const c = ord.customer;
    const t = ord.placedAt;
    // pre-sale / delivery questions handled by the outsourced customer service
    let q = ra.chance(0.35) ? 1 + (ra.chance(0.3) ? 1 : 0) : 0;
    while (q-- > 0) {
      const at = t + ra.exp(1.5 * DAY);
      if (at < end) access.push(onShift('cs', at, ra), c, o, CS_READ, at, 0);
    }
    // picking and packing (self-operated orders) or the seller ships (marketplace orders)
    let shipAt: number;
    if (ord.seller < 0) {
      const at = t + H + ra.exp(10 * H);
      shipAt = at + 2 * H;
      if (at < end) access.push(onShift('warehouse', at, ra), c, o, WAREHOUSE_READ, at, 0);
    } else {
      const at = t + ra.exp(8 * H);
      shipAt = at + 4 * H;
      if (at < end) access.push(ord.seller, c, o, SELLER_READ, at, 0);
      if (ra.chance(0.5) && at + DAY < end) access.push(ord.seller, c, o, F.name | F.items | F.orderNo, at + ra.exp(2 * DAY), 0);
    }
    ord.shippedAt = shipAt;
    if (shipAt < end) {
      const day = Math.floor((shipAt - start) / DAY);
      const key = ord.courier * 100000 + day;
      let list = shippedByCourierDay.get(key);
      if (!list) shippedByCourierDay.set(key, (list = []));
      list.push(o);
    }
    // the nightly BI sync reads every order of the day
    const biAt = start + (Math.floor((t - start) / DAY) + 1) * DAY + 2 * H + ra.int(0, H);
    if (biAt < end) access.push(byRole.bi[0]!, c, o, BI_READ, biAt, 3);
    // ERP integration pulls each order for fulfilment
    const erpAt = t + ra.exp(20 * 60_000);
    if (erpAt < end) access.push(api[0]!, c, o, ERP_READ, erpAt, 1);
    // e-invoices for a share of orders
    if (ra.chance(0.2)) {
      const at = t + ra.exp(3 * DAY);
      if (at < end) access.push(api[3]!, c, o, F.name | F.email | F.price | F.orderNo, at, 1);
    }
    // refunds: an after-sales agent on shift handles each; some are escalated to a second one
    if (ra.chance(0.115)) {
      const requestedAt = t + DAY + ra.exp(4 * DAY);
      if (requestedAt < end) {
        const handlerAt = requestedAt + ra.exp(3 * H);
        const handler = onShift('aftersales', handlerAt, ra);
        const completedAt = handlerAt + DAY + ra.exp(DAY);
        refunds.push({ id: `R${String(refunds.length + 1).padStart(9, '0')}`, order: o, requestedAt, completedAt, handler });
        if (handlerAt < end) access.push(handler, c, o, AFTERSALES_READ, handlerAt, 0);
        if (handlerAt < end && ra.chance(0.3)) access.push(api[4]!, c, o, F.name | F.phone | F.refund | F.orderNo, handlerAt + ra.exp(H), 1);
        if (ra.chance(0.2)) {
          const at = handlerAt + ra.exp(DAY);
          if (at < end) access.push(onShift('aftersales', at, ra), c, o, AFTERSALES_READ, at, 0);
        }
        if (completedAt < end) access.push(handler, c, o, F.name | F.refund | F.orderNo | F.price, completedAt, 0);
        if (ra.chance(0.4)) {
          const at = requestedAt + ra.exp(DAY);
          if (at < end) access.push(onShift('cs', at, ra), c, o, CS_READ | F.refund, at, 0);
        }
      }
    }
  }
  // daily courier exports of the orders shipped that day; with privacy waybills each row carries
  // the courier's own virtual number for the customer instead of the phone (drawn from a generator
  // of its own so the rest of the world is the same with the option on or off)
  const substitutes: SimSubstitute[] = [];
  const substituteOf = new Map<number, string>();
  const rv = new Prng((opts.seed * 2246822519 + 0x7a1d) >>> 0);
  const phonesInUse = opts.privacyWaybills ? new Set(customers.map((c) => c.phone)) : new Set<string>();
  const substitute = (courier: number, c: number): string => {
    const key = courier * customers.length + c;
    let phone = substituteOf.get(key);
    if (phone) return phone;
    do phone = mobileNumber(rv);
    while (phonesInUse.has(phone));
    phonesInUse.add(phone);
    substituteOf.set(key, phone);
    substitutes.push({ principal: courier, customer: c, phone });
    return phone;
  };
  for (const [key, list] of [...shippedByCourierDay.entries()].sort((a, b) => a[0] - b[0])) {
    const courier = Math.floor(key / 100000);
    const day = key % 100000;
    const at = start + day * DAY + 18 * H;
    if (at >= end) continue;
    const e = exports.length;
    exports.push({ id: `X${String(e + 1).padStart(7, '0')}`, principal: courier, orders: list, at, fields: COURIER_EXPORT });
    for (const o of list) {
      access.push(courier, orders[o]!.customer, o, COURIER_EXPORT, at, 2, e);
      if (opts.privacyWaybills) substitute(courier, orders[o]!.customer);
    }
  }
  // customer-level reads: recommendation batch, CRM and SMS campaigns, operations staff
  for (let c = 0; c < customers.length; c++) {
    if (!opts.lightBatch && ordersOf[c]!.length > 0) {
      for (let d = 6; d < days; d += 7) access.push(byRole.reco[0]!, c, -1, RECO_READ, start + d * DAY + 3 * H + ra.int(0, H), 3);
    }
    if (ra.chance(0.12)) {
      const at = start + ra.int(0, days) * DAY + ra.int(9, 18) * H;
      access.push(api[1]!, c, -1, CRM_READ, at, 1);
    }
  }
  // SMS campaigns: a few segments of customers get a marketing message (phone only)
  for (let k = 0; k < Math.max(1, Math.floor(days / 20)); k++) {
    const at = start + ra.int(0, days) * DAY + 10 * H;
    for (let c = 0; c < customers.length; c++) if (ra.chance(0.25)) access.push(api[2]!, c, -1, SMS_READ, at + ra.int(0, H), 1);
  }
  // live-commerce plugin reads a few orders
  for (let o = 0; o < orders.length; o++) if (ra.chance(0.03)) access.push(api[5]!, orders[o]!.customer, o, F.name | F.items, orders[o]!.placedAt + H, 1);
  // operations staff look up orders now and then
  const opsLookups = Math.round(orders.length * 0.02);
  for (let i = 0; i < opsLookups && orders.length; i++) {
    const o = ra.int(0, orders.length);
    const at = orders[o]!.placedAt + ra.exp(3 * DAY);
    if (at < end) access.push(byRole.ops[ra.int(0, byRole.ops.length)]!, orders[o]!.customer, o, OPS_READ, at, 0);
  }

  // ---- ordinary logins --------------------------------------------------------------------
  const logins: SimLogin[] = [];
  const deviceOf = (c: number) => `dev-${(c * 2654435761) >>> 0}`;
  const ipOf = (c: number) => `10.${(c >> 16) & 255}.${(c >> 8) & 255}.${c & 255}`;
  for (let c = 0; c < customers.length; c++) {
    for (const o of ordersOf[c]!) {
      const at = orders[o]!.placedAt - rl.int(60_000, H);
      if (rl.chance(0.04)) logins.push({ customer: c, at: at - 60_000, ok: false, ip: ipOf(c), device: deviceOf(c) });
      logins.push({ customer: c, at, ok: true, ip: ipOf(c), device: deviceOf(c) });
    }
  }

  // ---- the attack ------------------------------------------------------------------------
  const leakStart = start + Math.floor(days / 3) * DAY;
  // `substitute`: the virtual number the record carried (a courier's export row under privacy waybills)
  const leaked: { customer: number; order: number; at: number; fields: number; source: string; substitute?: string }[] = [];
  const leakers: string[] = [];
  // what each leaker does with what it receives after the period: the read-leakers go on leaking
  // everything they read; the API-client attack was a burst of nights inside the period
  const leakerShares: SimAttack['leakers'] = [];
  const scenario = opts.scenario;
  let takenOver = 0;
  const pickBusy = (role: PrincipalRole) => {
    // the leaker is someone with real work (not an idle account): choose among the busier half
    const counts = new Map<number, number>();
    for (let i = 0; i < access.n; i++) {
      const p = access.principal[i]!;
      if (principals[p]!.role === role && access.at[i]! >= leakStart) counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    return sorted[rx.int(0, Math.max(1, Math.ceil(sorted.length / 2)))]![0];
  };
  const leakReadsOf = (p: number, fromOrderReadsOnly: boolean) => {
    const seen = new Set<number>();
    for (let i = 0; i < access.n; i++) {
      if (access.principal[i] !== p || access.at[i]! < leakStart) continue;
      const o = access.order[i]!;
      if (fromOrderReadsOnly && o < 0) continue;
      const c = access.customer[i]!;
      if (seen.has(c)) continue;
      seen.add(c);
      const sub = access.channel[i] === 2 ? substituteOf.get(p * customers.length + c) : undefined;
      leaked.push({
        customer: c,
        order: o >= 0 ? o : (ordersOf[c]!.at(-1) ?? -1),
        at: access.at[i]!,
        fields: access.fields[i]!,
        source: principals[p]!.id,
        ...(sub ? { substitute: sub } : {}),
      });
    }
  };
  if (scenario === 'insider-agent' || scenario === 'two-leakers') {
    // an after-sales agent sells the orders they handle after a refund request
    const p = pickBusy('aftersales');
    leakers.push(principals[p]!.id);
    leakerShares.push({ principal: p, share: 1 });
    leakReadsOf(p, true);
  }
  if (scenario === 'seller' || scenario === 'two-leakers') {
    const p = pickBusy('seller');
    leakers.push(principals[p]!.id);
    leakerShares.push({ principal: p, share: 1 });
    leakReadsOf(p, true);
  }
  if (scenario === 'courier') {
    // the main courier partner leaks every shipment it receives
    const p = byRole.courier[0]!;
    leakers.push(principals[p]!.id);
    leakerShares.push({ principal: p, share: 1 });
    leakReadsOf(p, true);
  }
  if (scenario === 'api-client') {
    // a compromised API client key reads customers in bulk at night for a few nights
    const p = api[1]!;
    leakers.push(principals[p]!.id);
    leakerShares.push({ principal: p, share: 0 });
    const nights = rx.int(3, 7);
    const withOrders = customers.map((_, c) => c).filter((c) => ordersOf[c]!.length > 0);
    const share = 0.04 + rx.next() * 0.08;
    for (let n = 0; n < nights; n++) {
      const night = leakStart + rx.int(0, Math.max(1, days - Math.floor(days / 3) - 3)) * DAY + 17 * H + rx.int(0, 4 * H); // 01:00–05:00 Beijing
      for (const c of withOrders) {
        if (!rx.chance(share)) continue;
        const o = ordersOf[c]!.at(-1)!;
        const at = night + rx.int(0, 2 * H);
        if (at >= end) continue;
        access.push(p, c, o, CS_READ | F.address, at, 1);
        leaked.push({ customer: c, order: o, at, fields: CS_READ | F.address, source: principals[p]!.id });
      }
    }
  }
  if (scenario === 'no-leak') {
    // credential stuffing: bursts of failures on many accounts, success where passwords were reused
    const withOrders = customers.map((_, c) => c).filter((c) => ordersOf[c]!.length > 0);
    const waves = rx.int(3, 6);
    for (let w = 0; w < waves; w++) {
      const waveAt = leakStart + rx.int(0, days - Math.floor(days / 3) - 2) * DAY + rx.int(0, DAY);
      const botIp = `203.0.${rx.int(0, 255)}.${rx.int(1, 255)}`;
      for (const c of withOrders) {
        if (!rx.chance(0.02)) continue;
        let at = waveAt + rx.int(0, 6 * H);
        const fails = rx.int(3, 9);
        for (let k = 0; k < fails; k++)
          logins.push({ customer: c, at: (at += rx.int(2_000, 30_000)), ok: false, ip: botIp, device: `bot-${w}-${rx.int(0, 50)}` });
        if (rx.chance(0.25)) {
          at += rx.int(2_000, 30_000);
          logins.push({ customer: c, at, ok: true, ip: `198.51.${rx.int(0, 255)}.${rx.int(1, 255)}`, device: `bot-${w}-${rx.int(50, 99)}` });
          takenOver++;
          // the account page shows name, phone, address and the latest orders
          const o = ordersOf[c]!.filter((x) => orders[x]!.placedAt < at).at(-1) ?? ordersOf[c]![0]!;
          leaked.push({
            customer: c,
            order: o,
            at,
            fields: F.name | F.phone | F.address | F.items | F.orderNo | F.price | F.placedAt,
            source: 'account-takeover',
          });
        }
      }
    }
  }

  // ---- scammers call, victims lose money and report ----------------------------------------
  const gangs = [0, 1].map((g) => ({
    numbers: Array.from({ length: 4 }, () => `+86 ${rx.pick(['170', '171', '165', '167'])}${String(rx.int(0, 1e8)).padStart(8, '0')}`),
    domain: `${['kefu', 'tuikuan', 'refund', 'lipei'][g + rx.int(0, 2)]}-${rx.pick(['taobao', 'shop', 'jd', 'mall'])}${rx.int(10, 99)}.${rx.pick(['top', 'xyz', 'cc', 'vip'])}`,
    payees: Array.from({ length: 3 }, () => ({
      name: chineseName(rx),
      account: `6222${String(rx.int(0, 1e8)).padStart(8, '0')}${String(rx.int(0, 1e4)).padStart(4, '0')}`,
    })),
  }));
  const reports: SimReport[] = [];
  const reportSubjects: SimWorld['reportSubjects'] = [];
  const victims: SimTruthVictim[] = [];
  leaked.sort((a, b) => a.at - b.at || a.customer - b.customer);
  // a gang calls a share of the leads it buys, limited by how many calls its people can make
  const capacity = Math.max(20, Math.round(days * 1.5));
  const callShare = Math.min(0.55, capacity / Math.max(1, leaked.length));
  const called = new Set<number>();
  const substituteCalls: SimSubstituteCall[] = [];
  for (const l of leaked) {
    if (l.order < 0 || called.has(l.customer) || !rx.chance(callShare)) continue;
    const contactAt = Math.round(l.at + scamCallDelay(rx));
    // the call dials the number on the record: a virtual number is forwarded to the customer, and
    // the provider logs it (calls after the end too: the world goes on)
    if (l.substitute && l.fields & F.phone) substituteCalls.push({ phone: l.substitute, at: contactAt });
    if (contactAt >= end) continue;
    called.add(l.customer);
    const knew: AccessField[] = ['name', 'phone'];
    const leakedFields = maskToFields(l.fields);
    for (const [f, p] of [
      ['items', 0.9],
      ['orderNo', 0.7],
      ['refund', 0.9],
      ['address', 0.3],
      ['price', 0.4],
    ] as const) {
      if (leakedFields.includes(f) && rx.chance(p)) knew.push(f);
    }
    if (!leakedFields.includes('phone')) continue; // nobody can call without a number
    const lost = rx.chance(0.35);
    const reported = rx.chance(lost ? 0.9 : 0.5);
    const g = gangs[rx.int(0, gangs.length)]!;
    const ord = orders[l.order]!;
    victims.push({
      customerId: customers[l.customer]!.id,
      orderId: ord.id,
      contactAt: new Date(contactAt).toISOString(),
      source: l.source,
      reported,
      lostMoney: lost,
    });
    if (!reported) continue;
    const payee = rx.pick(g.payees);
    const item = ord.items[0]!;
    const amount = lost ? Math.round(500 + rx.exp(4000)) : 0;
    reports.push({
      contactAt: new Date(contactAt).toISOString(),
      channel: 'call',
      callerNumbers: [rx.pick(g.numbers)],
      claimedIdentity: '店铺客服',
      knewFields: knew,
      scriptTags: knew.includes('refund') ? ['refund problem'] : [rx.pick(['compensation', 'order stuck', 'refund problem'])],
      orderIds: [ord.id],
      urls: rx.chance(0.6) ? [`https://${g.domain}/pay?o=${rx.int(1000, 9999)}`] : [],
      apps: rx.chance(0.3) ? ['screen share'] : [],
      payments: lost
        ? [{ amount, currency: 'CNY', method: rx.pick(['bank_transfer', 'alipay', 'wechat_pay']), payeeName: payee.name, payeeAccount: payee.account }]
        : [],
      exposed: lost && rx.chance(0.5) ? ['SMS code'] : [],
      narrative: `对方自称店铺客服，说出了我买的${item.title}（${item.color}），说${knew.includes('refund') ? '退款出了问题' : '商品有质量问题要理赔'}，让我${lost ? `按提示转账${amount}元` : '打开链接操作，我觉得不对挂断了'}。`,
    });
    reportSubjects.push({ customer: l.customer, order: l.order, contactAt, knewFields: knew });
  }

  return {
    options: {
      scenario,
      seed: opts.seed,
      customers: opts.customers,
      days,
      principals: principals.length,
      start,
      lightBatch: !!opts.lightBatch,
      privacyWaybills: !!opts.privacyWaybills,
    },
    start,
    end,
    principals,
    customers,
    orders,
    refunds,
    exports,
    access,
    logins,
    reports,
    reportSubjects,
    substitutes,
    substituteCalls: substituteCalls.sort((a, b) => a.at - b.at),
    attack: { leakers: leakerShares, leakStart, callShare, leads: leaked.length },
    truth: {
      scenario,
      seed: opts.seed,
      leakers,
      leakStart: new Date(leakStart).toISOString(),
      leakedCustomers: new Set(leaked.map((l) => l.customer)).size,
      takenOver,
      victims,
    },
  };
}

function indexByWeight(r: Prng, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let x = r.next() * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i]!;
    if (x < 0) return i;
  }
  return weights.length - 1;
}
