// One row of the shop's database → one event of the v1 contract, through the mapping file.
// Pure functions: the snapshot and the binlog stream both call them, with ids of their own.
import type { MysqlMapping } from './mysql.mapping.ts';

export type Row = Record<string, unknown>;
export type ShopEvent = Record<string, unknown> & { id: string; type: string; at: string };

const text = (v: unknown): string | undefined => {
  if (v === null || v === undefined) return undefined;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (v instanceof Date) return v.toISOString();
  const s = String(v).trim();
  return s === '' ? undefined : s;
};

/**
 * A DATETIME/TIMESTAMP value as ISO 8601 with an offset. Both readers are set to return dates as
 * 'YYYY-MM-DD HH:MM:SS[.ffffff]' text, the shop's wall clock, to which the mapping's offset is added.
 */
export function isoTime(v: unknown, offset: string): string | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString();
  const s = text(v);
  const m = s && /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?$/.exec(s);
  if (!m || m[1] === '0000-00-00') return undefined;
  return `${m[1]}T${m[2]}${m[3] ? m[3].slice(0, 4) : ''}${offset}`;
}

const compact = <T extends Record<string, unknown>>(o: T): T => {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
};

export class RowMapper {
  private readonly offset: string;
  constructor(readonly mapping: MysqlMapping) {
    this.offset = mapping.timezone ?? '+00:00';
  }

  /** The event time: the mapped `at` column, else the change's own time (binlog), else now. */
  private at(row: Row, column: string | undefined, fallbackMs: number): string {
    return (column && isoTime(row[column], this.offset)) || new Date(fallbackMs).toISOString();
  }

  customer(row: Row, id: string, whenMs: number): ShopEvent | null {
    const m = this.mapping.customers!;
    const c = m.columns;
    const customerId = text(row[m.id]);
    if (!customerId) return null;
    const province = c.province && text(row[c.province]);
    const city = c.city && text(row[c.city]);
    // the contract wants province and city together; an address without them is left out
    const address =
      province && city ? compact({ province, city, district: c.district && text(row[c.district]), line: c.line && text(row[c.line]) }) : undefined;
    const lang = c.lang && text(row[c.lang]);
    return compact({
      id,
      type: 'customer.upserted',
      at: this.at(row, m.at, whenMs),
      customerId,
      name: text(row[c.name]) as string,
      phone: text(row[c.phone]) as string,
      email: c.email && text(row[c.email]),
      address,
      lang: lang === 'zh-CN' || lang === 'en' ? lang : undefined,
    });
  }

  principal(row: Row, id: string, whenMs: number): ShopEvent | null {
    const m = this.mapping.staff!;
    const principalId = text(row[m.id]);
    if (!principalId) return null;
    return compact({
      id,
      type: 'principal.upserted',
      at: this.at(row, m.at, whenMs),
      principalId,
      kind: m.kind ?? 'staff',
      name: text(row[m.columns.name]) as string,
      org: m.columns.org && text(row[m.columns.org]),
      team: m.columns.team && text(row[m.columns.team]),
    });
  }

  /** An order with its items (rows of the items table); null without items (the contract needs one). */
  order(row: Row, items: readonly Row[], id: string, whenMs: number): ShopEvent | null {
    const m = this.mapping.orders!;
    const ic = this.mapping.orderItems!.columns;
    const orderId = text(row[m.id]);
    if (!orderId || !items.length) return null;
    return compact({
      id,
      type: 'order.placed',
      at: this.at(row, m.at, whenMs),
      orderId,
      customerId: text(row[m.columns.customerId]) as string,
      total: Number(row[m.columns.total]),
      currency: m.columns.currency && text(row[m.columns.currency]),
      items: items.map((it) =>
        compact({
          sku: text(it[ic.sku]) as string,
          title: text(it[ic.title]) as string,
          price: Number(it[ic.price]),
          quantity: Number(it[ic.quantity]),
          model: ic.model && text(it[ic.model]),
          color: ic.color && text(it[ic.color]),
          size: ic.size && text(it[ic.size]),
        }),
      ),
    });
  }

  /** A refund event by its status; null when the status is not mapped (or, for an update, did not change). */
  refund(row: Row, before: Row | undefined, id: string, whenMs: number): ShopEvent | null {
    const m = this.mapping.refunds!;
    const status = text(row[m.status.column]);
    if (before && text(before[m.status.column]) === status) return null;
    const type = status === undefined ? undefined : m.status.values[status];
    const refundId = text(row[m.id]);
    if (!type || !refundId) return null;
    return compact({
      id,
      type,
      at: this.at(row, m.at, whenMs),
      refundId,
      orderId: text(row[m.columns.orderId]) as string,
      reason: m.columns.reason && text(row[m.columns.reason]),
    });
  }

  /** The order a row of the items table belongs to. */
  orderOfItem(row: Row): string | undefined {
    return text(row[this.mapping.orderItems!.orderId]);
  }

  orderIdOf(row: Row): string | undefined {
    return text(row[this.mapping.orders!.id]);
  }
}
