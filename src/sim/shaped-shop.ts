// A simulated shop of a given shape (shop-shape.ts), without any attack: customers whose activity
// varies, orders spread over the period, and every principal reading them in its ordinary work —
// outsourced customer-service agents grouped by company, after-sales, warehouse, regional
// couriers receiving daily exports, marketplace sellers and their ERP connectors, bulk API
// clients, nightly batch systems, operations staff, a CRM reading customer records. The attacks
// and the reports are added by leak-kinds.ts; the shop itself holds nothing secret, so one shop
// serves every leak kind and every redraw of reporters.
import { Prng } from './prng.ts';
import { AccessColumns } from './access-columns.ts';
import { CATALOGUE, NAMES, PLACES, address, chineseName, mobileNumber, shopName } from './sim.data.ts';
import { FIELD_BIT as F } from '../lib/fields.ts';
import { DEFAULT_START, type SimCustomer, type SimExport, type SimItem, type SimLogin, type SimOrder, type SimPrincipal, type SimRefund } from './world.ts';
import type { ShopShape } from './shop-shape.ts';

const H = 3_600_000;
const DAY = 24 * H;

export const READS = {
  cs: F.name | F.phone | F.items | F.orderNo | F.placedAt,
  aftersales: F.name | F.phone | F.address | F.items | F.price | F.refund | F.orderNo | F.placedAt,
  warehouse: F.name | F.address | F.items | F.orderNo,
  courier: F.name | F.phone | F.address | F.items | F.orderNo,
  seller: F.name | F.phone | F.address | F.items | F.price | F.orderNo | F.placedAt,
  sellerErp: F.name | F.phone | F.address | F.items | F.orderNo,
  batch: F.name | F.phone | F.address | F.items | F.price | F.placedAt | F.orderNo | F.refund,
  bulkApi: F.name | F.phone | F.address | F.items | F.price | F.orderNo | F.placedAt,
  ops: F.name | F.phone | F.items | F.orderNo | F.price,
  crm: F.name | F.phone | F.email,
};

/** The shop's data: what it would send as events. Indices into the arrays stand for ids. */
export interface Shop {
  shape: ShopShape;
  seed: number;
  start: number;
  end: number;
  principals: SimPrincipal[];
  customers: SimCustomer[];
  orders: SimOrder[];
  ordersOf: number[][];
  refunds: SimRefund[];
  exports: SimExport[];
  access: AccessColumns;
  logins: SimLogin[];
  /** Principal indices by role of the shape (for the attacks and the tests, not the product). */
  roles: ShopRoles;
  /** Province group of each customer (0 … regions-1): which regional courier carries their parcels. */
  regionOf: Uint8Array;
}

export interface ShopRoles {
  csByCompany: number[][];
  aftersales: number[];
  warehouse: number[];
  couriers: number[];
  sellers: number[];
  /** The small API client reading seller i's orders (its ERP connector), by seller position, or -1. */
  sellerErp: number[];
  bulkApi: number[];
  batch: number[];
  ops: number[];
  crm: number;
}

const BULK_NAMES = ['ERP 对接', '电子发票服务', '会员积分平台', '售后工单系统', '数据中台', '物流轨迹服务'];
const BATCH_NAMES = ['BI 数据仓库同步', '风控离线任务', '搜索索引构建', '推荐系统离线任务', '财务对账', '客服质检抽取', '营销人群圈选', '审计归档'];

export function generateShop(shape: ShopShape, seed: number, start = DEFAULT_START): Shop {
  const days = shape.days;
  const end = start + days * DAY;
  const root = new Prng((seed * 2654435761 + 0x51a9e) >>> 0);
  const rp = root.fork(1);
  const rc = root.fork(2);
  const ra = root.fork(3);
  const rl = root.fork(4);

  // ---- principals -------------------------------------------------------------------------
  const principals: SimPrincipal[] = [];
  const add = (p: SimPrincipal) => principals.push(p) - 1;
  const pad = (i: number, n = 4) => String(i + 1).padStart(n, '0');
  const csByCompany: number[][] = [];
  for (let k = 0; k < shape.csCompanies; k++) {
    const org = NAMES.VENDOR_NAMES[k] ?? `客服外包${k + 1}`;
    csByCompany.push(
      Array.from({ length: shape.csCompanySize }, (_, i) =>
        add({ id: `cs${k + 1}-${pad(i)}`, kind: 'staff', role: 'cs', name: chineseName(rp), org, team: `${org}-${['早', '晚', '夜'][i % 3]}班`, shift: i % 3 }),
      ),
    );
  }
  const aftersales = Array.from({ length: shape.aftersales }, (_, i) =>
    add({ id: `as-${pad(i)}`, kind: 'staff', role: 'aftersales', name: chineseName(rp), org: '本店', team: '售后组' }),
  );
  const warehouse = Array.from({ length: shape.warehouse }, (_, i) =>
    add({ id: `wh-${pad(i)}`, kind: 'staff', role: 'warehouse', name: chineseName(rp), org: '本店', team: '仓储部' }),
  );
  const couriers = Array.from({ length: shape.regions }, (_, i) =>
    add({
      id: `courier-r${i + 1}`,
      kind: 'partner',
      role: 'courier',
      name: `${NAMES.COURIERS[i % NAMES.COURIERS.length]}·${i + 1}区`,
      org: `${NAMES.COURIERS[i % NAMES.COURIERS.length]}`,
    }),
  );
  const sellers = Array.from({ length: shape.sellers }, (_, i) => add({ id: `seller-${pad(i)}`, kind: 'partner', role: 'seller', name: shopName(rp) }));
  const sellerErp = sellers.map((_, i) =>
    i < shape.apiClients ? add({ id: `api-erp-${pad(i)}`, kind: 'api_client', role: 'api', name: `商家 ERP 连接器 ${i + 1}` }) : -1,
  );
  // API clients beyond one per seller: plugins that read a few orders now and then
  const plugins = Array.from({ length: Math.max(0, shape.apiClients - shape.sellers) }, (_, i) =>
    add({ id: `api-plugin-${pad(i)}`, kind: 'api_client', role: 'api', name: `插件 ${i + 1}` }),
  );
  const bulkApi = Array.from({ length: shape.bulkApiClients }, (_, i) =>
    add({ id: `api-bulk-${i + 1}`, kind: 'api_client', role: 'api', name: BULK_NAMES[i % BULK_NAMES.length]! }),
  );
  const batch = Array.from({ length: shape.batchSystems }, (_, i) =>
    add({ id: `sys-batch-${i + 1}`, kind: 'system', role: 'bi', name: BATCH_NAMES[i % BATCH_NAMES.length]! }),
  );
  const ops = Array.from({ length: shape.ops }, (_, i) =>
    add({ id: `ops-${pad(i, 3)}`, kind: 'staff', role: 'ops', name: chineseName(rp), org: '本店', team: '运营部' }),
  );
  const crm = add({ id: 'api-crm', kind: 'api_client', role: 'api', name: 'CRM 会员系统' });

  // ---- customers and orders ---------------------------------------------------------------
  // Activity varies: each customer's extra orders are Poisson with a gamma-distributed rate (mean
  // ordersPerCustomer − 1), so a few customers buy very often, as in real shops.
  const hourWeights = [1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 1.5, 2.5, 3, 3.2, 3.5, 3.8, 3.4, 3.2, 3.2, 3.3, 3.5, 3.8, 4.5, 5.5, 6, 5, 2.5];
  const hours = hourWeights.map((_, i) => i);
  const provinceGroup = new Map(PLACES.map((p, i) => [p.province, i % Math.max(1, shape.regions)]));
  // the biggest seller has bigSellerShare of all orders; the other marketplace orders follow a long tail
  const tailWeights = sellers.slice(1).map((_, i) => 1 / Math.pow(i + 1, 0.8));
  const pBig = shape.sellers > 0 && shape.marketplaceShare > 0 ? Math.min(1, shape.bigSellerShare / shape.marketplaceShare) : 0;
  const customers: SimCustomer[] = [];
  const orders: SimOrder[] = [];
  const ordersOf: number[][] = [];
  const regionOf = new Uint8Array(shape.customers);
  for (let c = 0; c < shape.customers; c++) {
    const addr = address(rc);
    customers.push({
      id: `C${String(c + 1).padStart(8, '0')}`,
      name: chineseName(rc),
      phone: mobileNumber(rc),
      address: addr,
      createdAt: start - rc.int(1, 900) * DAY,
    });
    regionOf[c] = provinceGroup.get(addr.province) ?? 0;
    const k = 1 + poisson(rc, (gamma(rc, 1.2) * Math.max(0, shape.ordersPerCustomer - 1)) / 1.2);
    const mine: number[] = [];
    for (let j = 0; j < k; j++) {
      const placedAt = start + rc.int(0, days) * DAY + rc.weighted(hours, hourWeights) * H + rc.int(0, H);
      const items: SimItem[] = [];
      for (let i = 0, n = rc.chance(0.75) ? 1 : rc.int(2, 4); i < n; i++) {
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
      let seller = -1;
      if (sellers.length && rc.chance(shape.marketplaceShare)) seller = rc.chance(pBig) || !tailWeights.length ? 0 : 1 + indexByWeight(rc, tailWeights);
      mine.push(orders.length);
      orders.push({
        id: `E${String(30000000000 + orders.length * 7 + (seed % 7))}`,
        customer: c,
        placedAt,
        items,
        total: items.reduce((s, i) => s + i.price * i.quantity, 0),
        seller: seller < 0 ? -1 : sellers[seller]!,
        courier: couriers[regionOf[c]!] ?? -1,
        shippedAt: 0,
      });
    }
    ordersOf.push(mine.sort((a, b) => orders[a]!.placedAt - orders[b]!.placedAt));
  }
  const sellerPos = new Map(sellers.map((p, i) => [p, i]));

  // ---- reads that follow the life of each order --------------------------------------------
  const access = new AccessColumns();
  const refunds: SimRefund[] = [];
  const shipped = new Map<number, number[]>(); // courier * 100000 + day → orders
  const csAgent = () => {
    const company = csByCompany[ra.int(0, csByCompany.length)]!;
    return company[ra.int(0, company.length)]!;
  };
  const push = (p: number, o: number, fields: number, at: number, channel: 0 | 1 | 2 | 3) => {
    if (at < end) access.push(p, orders[o]!.customer, o, fields, at, channel);
  };
  for (let o = 0; o < orders.length; o++) {
    const ord = orders[o]!;
    const t = ord.placedAt;
    // bulk API clients pull a share of the orders within minutes
    for (const p of bulkApi) if (ra.chance(shape.bulkApiShare)) push(p, o, READS.bulkApi, t + ra.exp(30 * 60_000), 1);
    // pre-sale and delivery questions to the outsourced customer service
    if (csByCompany.length) for (let q = ra.chance(0.35) ? 1 + (ra.chance(0.3) ? 1 : 0) : 0; q > 0; q--) push(csAgent(), o, READS.cs, t + ra.exp(1.5 * DAY), 0);
    // the seller (and its ERP connector) or the warehouse prepares the parcel
    let shipAt: number;
    if (ord.seller >= 0) {
      const at = t + ra.exp(8 * H);
      shipAt = at + 4 * H;
      push(ord.seller, o, READS.seller, at, 0);
      const erp = sellerErp[sellerPos.get(ord.seller)!]!;
      if (erp >= 0) push(erp, o, READS.sellerErp, t + ra.exp(H), 1);
    } else {
      const at = t + H + ra.exp(10 * H);
      shipAt = at + 2 * H;
      if (warehouse.length) push(warehouse[ra.int(0, warehouse.length)]!, o, READS.warehouse, at, 0);
    }
    ord.shippedAt = shipAt;
    if (shipAt < end && ord.courier >= 0) {
      const key = ord.courier * 100000 + Math.floor((shipAt - start) / DAY);
      let list = shipped.get(key);
      if (!list) shipped.set(key, (list = []));
      list.push(o);
    }
    // every batch system reads the day's orders at night
    const night = start + (Math.floor((t - start) / DAY) + 1) * DAY + 2 * H;
    for (const p of batch) push(p, o, READS.batch, night + ra.int(0, 2 * H), 3);
    // refunds: an after-sales agent handles the request; customer service often hears of it too
    if (aftersales.length && ra.chance(shape.refundRate)) {
      const requestedAt = t + DAY + ra.exp(4 * DAY);
      if (requestedAt < end) {
        const handlerAt = requestedAt + ra.exp(3 * H);
        const handler = aftersales[ra.int(0, aftersales.length)]!;
        const completedAt = handlerAt + DAY + ra.exp(DAY);
        refunds.push({ id: `R${String(refunds.length + 1).padStart(9, '0')}`, order: o, requestedAt, completedAt, handler });
        push(handler, o, READS.aftersales, handlerAt, 0);
        push(handler, o, F.name | F.refund | F.orderNo | F.price, completedAt, 0);
        if (csByCompany.length && ra.chance(0.4)) push(csAgent(), o, READS.cs | F.refund, requestedAt + ra.exp(DAY), 0);
        for (const p of batch) push(p, o, READS.batch, start + (Math.floor((requestedAt - start) / DAY) + 1) * DAY + 2 * H + ra.int(0, 2 * H), 3);
      }
    }
    if (ops.length && ra.chance(0.02)) push(ops[ra.int(0, ops.length)]!, o, READS.ops, t + ra.exp(3 * DAY), 0);
    if (plugins.length && ra.chance(0.02)) push(plugins[ra.int(0, plugins.length)]!, o, F.name | F.items | F.orderNo, t + ra.exp(DAY), 1);
  }
  // daily exports to the regional couriers of the parcels they carry
  const exports: SimExport[] = [];
  for (const [key, list] of [...shipped.entries()].sort((a, b) => a[0] - b[0])) {
    const at = start + (key % 100000) * DAY + 18 * H;
    if (at >= end) continue;
    const e =
      exports.push({ id: `X${String(exports.length + 1).padStart(7, '0')}`, principal: Math.floor(key / 100000), orders: list, at, fields: READS.courier }) - 1;
    for (const o of list) access.push(exports[e]!.principal, orders[o]!.customer, o, READS.courier, at, 2, e);
  }
  // customer records: the CRM syncs a third of the members (no order)
  for (let c = 0; c < customers.length; c++) if (ra.chance(0.3)) access.push(crm, c, -1, READS.crm, start + ra.int(0, days) * DAY + ra.int(9, 18) * H, 1);

  // ---- ordinary logins (one before each order, from the customer's own device) -------------
  const logins: SimLogin[] = [];
  for (let c = 0; c < customers.length; c++) {
    for (const o of ordersOf[c]!) {
      const at = orders[o]!.placedAt - rl.int(60_000, H);
      if (rl.chance(0.04)) logins.push({ customer: c, at: at - 60_000, ok: false, ip: ipOf(c), device: deviceOf(c) });
      logins.push({ customer: c, at, ok: true, ip: ipOf(c), device: deviceOf(c) });
    }
  }

  return {
    shape,
    seed,
    start,
    end,
    principals,
    customers,
    orders,
    ordersOf,
    refunds,
    exports,
    access,
    logins,
    roles: { csByCompany, aftersales, warehouse, couriers, sellers, sellerErp, bulkApi, batch, ops, crm },
    regionOf,
  };
}

export const deviceOf = (c: number) => `dev-${(c * 2654435761) >>> 0}`;
export const ipOf = (c: number) => `10.${(c >> 16) & 255}.${(c >> 8) & 255}.${c & 255}`;

/** Poisson by inversion (rates here are small). */
export function poisson(r: Prng, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(r)));
  const l = Math.exp(-lambda);
  let k = 0;
  for (let p = r.next(); p > l; p *= r.next()) k++;
  return k;
}

function normal(r: Prng): number {
  return Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next());
}

/** Gamma(shape, 1) by Marsaglia and Tsang (boosted for shape < 1). */
export function gamma(r: Prng, shape: number): number {
  if (shape < 1) return gamma(r, shape + 1) * Math.pow(1 - r.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(r);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - r.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
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
