// A small hand-built shop for the attribution tests, as the events a shop would send: customers
// with three orders each, ordinary readers (an ERP client and a BI sync that read every order,
// two outsourced service companies, a big marketplace seller, an after-sales agent, an API
// client, an operations user), and the leaks of each test written on customers of their own.
// Each victim list below names what the test means, never how the engine should answer.
import { Prng } from '../sim/prng.ts';
import type { AccessField } from '../lib/fields.ts';

const DAY = 86_400_000;
const H = 3_600_000;
export const SHOP_T0 = Date.UTC(2026, 5, 1);
const CUSTOMERS = 1500;
const ORDERS_EACH = 3;

const CS: AccessField[] = ['name', 'phone', 'items', 'orderNo', 'placedAt'];
const SELLER: AccessField[] = ['name', 'phone', 'address', 'items', 'price', 'orderNo'];
const AFTERSALES: AccessField[] = ['name', 'phone', 'items', 'price', 'refund', 'orderNo'];
const ALL: AccessField[] = ['name', 'phone', 'email', 'address', 'items', 'price', 'placedAt', 'refund', 'orderNo'];
/** What the callers in these tests knew: the customer and the order. */
export const KNEW: AccessField[] = ['name', 'phone', 'items', 'orderNo'];

export interface ShopVictim {
  orderId?: string;
  customerId?: string;
  contactAt: string;
  knewFields: AccessField[];
}

export interface TestShop {
  events: object[];
  /** Victim lists, one per test. */
  victims: {
    loneInsider: ShopVictim[];
    loneInsiderByCustomer: ShopVictim[];
    company: ShopVictim[];
    oneAgent: ShopVictim[];
    shareNothing: ShopVictim[];
    selectedBySeller: ShopVictim[];
    twoLeakers: ShopVictim[];
    bulk: ShopVictim[];
    sellerShips: ShopVictim[];
    freshOutside: ShopVictim[];
  };
}

export function buildTestShop(seed = 7): TestShop {
  const r = new Prng(seed);
  const events: object[] = [];
  let n = 0;
  const ev = (type: string, at: number, body: object) => events.push({ id: `e${n++}`, type, at: new Date(at).toISOString(), ...body });
  const read = (principalId: string, orderId: string, at: number, fields: AccessField[]) =>
    ev('data.accessed', at, { principalId, orderId, fields, channel: 'console' });
  const principal = (principalId: string, kind: string, org?: string, team?: string) =>
    ev('principal.upserted', SHOP_T0 - DAY, { principalId, kind, name: principalId, ...(org ? { org } : {}), ...(team ? { team } : {}) });

  principal('erp', 'api_client');
  principal('bi', 'system');
  for (let i = 0; i < 20; i++) principal(`vx-${i}`, 'staff', 'VendorX', i % 2 ? 'X night' : 'X day');
  for (let i = 0; i < 20; i++) principal(`vy-${i}`, 'staff', 'VendorY', i % 2 ? 'Y night' : 'Y day');
  principal('seller-big', 'partner', 'Marketplace');
  principal('seller-small', 'partner', 'Marketplace');
  principal('insider', 'staff', 'Shop', 'Aftersales');
  principal('aftersales-2', 'staff', 'Shop', 'Aftersales');
  principal('api-x', 'api_client');
  principal('ops', 'staff', 'Shop', 'Operations');
  principal('bulk', 'staff', 'Shop', 'Operations');

  // customers and orders; every order is read by the ERP client when placed and by BI that night
  const orders: { id: string; customer: number; at: number; seller: string | null }[][] = [];
  for (let c = 0; c < CUSTOMERS; c++) {
    const customerId = `C${c}`;
    ev('customer.upserted', SHOP_T0 - 30 * DAY, { customerId, name: `客户${c}`, phone: `139${String(10_000_000 + c * 7919).slice(-8)}` });
    const mine: (typeof orders)[number] = [];
    for (let k = 0; k < ORDERS_EACH; k++) {
      const at = SHOP_T0 + r.int(0, 50) * DAY + r.int(8, 22) * H;
      const id = `O${c}-${k}`;
      const seller = r.chance(0.25) ? 'seller-big' : r.chance(0.1) ? 'seller-small' : null;
      mine.push({ id, customer: c, at, seller });
      ev('order.placed', at, { orderId: id, customerId, items: [{ sku: `S${k}`, title: '电饭煲', price: 459, quantity: 1 }], total: 459 });
      read('erp', id, at + 10 * 60_000, ['name', 'address', 'items', 'orderNo']);
      read('bi', id, at + DAY, ALL);
      if (seller) read(seller, id, at + 2 * H, SELLER);
      // outsourced customer service answers a question about 6 % of orders
      if (r.chance(0.06)) read(`${r.chance(0.5) ? 'vx' : 'vy'}-${r.int(0, 20)}`, id, at + DAY + r.int(0, 12) * H, CS);
      // after-sales handles 3 % (split between two agents), the API client and operations 2 %
      if (r.chance(0.03)) read(r.chance(0.5) ? 'insider' : 'aftersales-2', id, at + 2 * DAY, AFTERSALES);
      if (r.chance(0.02)) read('api-x', id, at + r.int(0, 40 * 24) * H, CS);
      if (r.chance(0.02)) read('ops', id, at + 3 * DAY, ALL);
    }
    mine.sort((a, b) => a.at - b.at);
    orders.push(mine);
  }
  const last = (c: number) => orders[c]![ORDERS_EACH - 1]!;
  const first = (c: number) => orders[c]![0]!;
  const victim = (c: number, contactAt: number, knewFields = KNEW): ShopVictim => ({
    orderId: last(c).id,
    contactAt: new Date(contactAt).toISOString(),
    knewFields,
  });
  const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

  // a lone insider: the after-sales agent sells the orders it handles; the operations user read
  // another, earlier order of the same customers with every field
  const loneInsider = range(0, 16).map((c) => {
    read('insider', last(c).id, last(c).at + 2 * DAY, AFTERSALES);
    read('ops', first(c).id, first(c).at + H, ALL);
    return victim(c, last(c).at + 3 * DAY);
  });
  const loneInsiderByCustomer = loneInsider.map((v, i) => ({ customerId: `C${i}`, contactAt: v.contactAt, knewFields: ['name', 'phone'] as AccessField[] }));

  // an outsourced company leaking through eight of its agents, two victims each
  const company = range(100, 116).map((c, i) => {
    read(`vx-${i >> 1}`, last(c).id, last(c).at + DAY, CS);
    return victim(c, last(c).at + 2 * DAY);
  });
  // one agent of the other company who read every victim
  const oneAgent = range(200, 216).map((c) => {
    read('vy-3', last(c).id, last(c).at + DAY, CS);
    return victim(c, last(c).at + 2 * DAY);
  });
  // victims who share nothing: called at random times after their last order
  const shareNothing = range(300, 316).map((c) => victim(c, last(c).at + r.int(1, 20) * DAY));
  // no leak in the shop: the scammers' list (bought elsewhere) is the big seller's customers
  const selectedBySeller = range(400, 1000)
    .filter((c) => last(c).seller === 'seller-big')
    .slice(0, 16)
    .map((c) => victim(c, last(c).at + r.int(3, 20) * DAY));
  // two leakers at once: the insider (7 victims, while handling them) and the API client (7
  // victims, reading old orders the day before the call), plus two unrelated reports
  const twoLeakers = [
    ...range(600, 607).map((c) => {
      read('insider', last(c).id, last(c).at + 2 * DAY, AFTERSALES);
      return victim(c, last(c).at + 3 * DAY);
    }),
    ...range(607, 614).map((c) => {
      const contact = last(c).at + 30 * DAY + r.int(0, 24) * H;
      read('api-x', last(c).id, contact - DAY, CS);
      return victim(c, contact);
    }),
    ...range(614, 616).map((c) => victim(c, last(c).at + r.int(1, 20) * DAY)),
  ];
  // a bulk leak: 350 victims, read by one operations account and nobody else beyond the usual
  const bulk = range(1000, 1350).map((c) => {
    read('bulk', last(c).id, last(c).at + 4 * H, SELLER);
    return victim(c, last(c).at + DAY);
  });
  // the big seller leaks the orders it ships (its ordinary read two hours after the order): its
  // customers are called 6–30 hours later; it reads a quarter of all orders, so only the timing
  // of its reads before the calls tells it from a seller whose customers happen to report
  const lastBlock = range(1350, CUSTOMERS);
  const sellerShips = lastBlock
    .filter((c) => last(c).seller === 'seller-big')
    .slice(0, 16)
    .map((c) => victim(c, last(c).at + 2 * H + r.int(4, 28) * H));
  // no leak in the shop: a platform outside it leaks orders as they are placed, and the
  // scammers call 6–30 hours after the order, whoever sold it
  const shipped = new Set(sellerShips.map((v) => v.orderId));
  const freshOutside = lastBlock
    .filter((c) => !shipped.has(last(c).id))
    .slice(0, 16)
    .map((c) => victim(c, last(c).at + r.int(6, 30) * H));
  events.sort((a, b) => ((a as { at: string }).at < (b as { at: string }).at ? -1 : 1));
  return {
    events,
    victims: { loneInsider, loneInsiderByCustomer, company, oneAgent, shareNothing, selectedBySeller, twoLeakers, bulk, sellerShips, freshOutside },
  };
}
