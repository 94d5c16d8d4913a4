// The shape of a simulated shop: how many orders a customer places, who reads them and how much
// each kind of reader sees. Attribution must hold on shops unlike ours (issue #13), so the shapes
// that decide whether a busy reader looks like a leaker are parameters, not constants: orders per
// customer, bulk API clients and their share of orders, marketplace sellers and the biggest
// seller's share, regional couriers, outsourced customer-service companies and their size, batch
// systems that read every order.

export interface ShopShape {
  customers: number;
  days: number;
  /** Mean orders per customer in the period (1 to 8); activity varies between customers. */
  ordersPerCustomer: number;
  /** Outsourced customer-service companies and agents per company (principals sharing an `org`). */
  csCompanies: number;
  csCompanySize: number;
  aftersales: number;
  warehouse: number;
  ops: number;
  /** Regional couriers: one per province group, each carrying that group's parcels. */
  regions: number;
  /** Marketplace sellers, the share of orders they sell, and the biggest seller's share of all orders. */
  sellers: number;
  marketplaceShare: number;
  bigSellerShare: number;
  /** Bulk API clients (ERP, CRM, invoicing…), each reading this share of all orders. */
  bulkApiClients: number;
  bulkApiShare: number;
  /** Small API clients (sellers' own ERP connectors, plugins), each reading one seller's orders. */
  apiClients: number;
  /** Batch systems that read every order of the day each night (BI, risk, search index…). */
  batchSystems: number;
  refundRate: number;
  /** Unrelated reports mixed in with the victims' (scams that did not come from this shop). */
  noiseReports: number;
}

/** About the independent shop of issue #13: 3,000 customers with ~5 orders, ~920 principals. */
export const DEFAULT_SHAPE: ShopShape = {
  customers: 3000,
  days: 90,
  ordersPerCustomer: 5,
  csCompanies: 4,
  csCompanySize: 100,
  aftersales: 20,
  warehouse: 30,
  ops: 8,
  regions: 5,
  sellers: 300,
  marketplaceShare: 0.4,
  bigSellerShare: 0.1,
  bulkApiClients: 3,
  bulkApiShare: 0.5,
  apiClients: 150,
  batchSystems: 6,
  refundRate: 0.1,
  noiseReports: 2,
};

/** The dimensions the sweep varies, each over at least three values (one at a time around the default, plus corners). */
export const SWEEP_DIMENSIONS = {
  ordersPerCustomer: [1, 4, 8],
  bigSellerShare: [0.02, 0.08, 0.15],
  csCompanySize: [50, 100, 200],
  bulkApiShare: [0.2, 0.5, 0.9],
  regions: [3, 5, 8],
} as const satisfies Partial<Record<keyof ShopShape, readonly number[]>>;

export type SweepDimension = keyof typeof SWEEP_DIMENSIONS;

/** A named shape of the sweep: its changes from the default. */
export interface NamedShape {
  name: string;
  shape: ShopShape;
}

/**
 * The sweep's shapes: the default; each dimension at each of its values with the others at the
 * default (one factor at a time); and the corners of the three dimensions that matter most for
 * per-order base rates (orders per customer × biggest seller's share × bulk API share).
 */
export function sweepShapes(base: Partial<ShopShape> = {}, quick = false): NamedShape[] {
  const b = { ...DEFAULT_SHAPE, ...base };
  const out: NamedShape[] = [{ name: 'default', shape: b }];
  const seen = new Set<string>([JSON.stringify(b)]);
  const add = (changes: Partial<ShopShape>) => {
    const shape = { ...b, ...changes };
    const key = JSON.stringify(shape);
    if (seen.has(key)) return;
    seen.add(key);
    out.push({
      name: Object.entries(changes)
        .map(([k, v]) => `${SHORT[k as SweepDimension] ?? k}=${v}`)
        .join(' '),
      shape,
    });
  };
  const dims = Object.keys(SWEEP_DIMENSIONS) as SweepDimension[];
  for (const d of quick ? (['ordersPerCustomer', 'bigSellerShare'] as SweepDimension[]) : dims) for (const v of SWEEP_DIMENSIONS[d]) add({ [d]: v });
  if (!quick) {
    const [o, s, a] = [SWEEP_DIMENSIONS.ordersPerCustomer, SWEEP_DIMENSIONS.bigSellerShare, SWEEP_DIMENSIONS.bulkApiShare];
    for (const ov of [o[0], o[2]])
      for (const sv of [s[0], s[2]]) for (const av of [a[0], a[2]]) add({ ordersPerCustomer: ov, bigSellerShare: sv, bulkApiShare: av });
  }
  return out;
}

const SHORT: Record<SweepDimension, string> = {
  ordersPerCustomer: 'orders/customer',
  bigSellerShare: 'big seller',
  csCompanySize: 'CS company',
  bulkApiShare: 'bulk API',
  regions: 'regions',
};
