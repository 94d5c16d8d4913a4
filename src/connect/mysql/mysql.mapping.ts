// The mapping file of `fanzha connect mysql`: which of the shop's tables and columns hold its
// customers, staff, orders, order items and refunds (docs/integration.md documents it). Checked
// with TypeBox on load so a typo names the bad key instead of failing mid-stream.
import { readFileSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { ConfigFileError, parseJsonFile } from '../connect.json-file.ts';

const Column = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_$]+$' });
const Table = Column;
const Opt = Type.Optional;

const Customers = Type.Object(
  {
    table: Table,
    id: Column,
    at: Opt(Column),
    columns: Type.Object(
      {
        name: Column,
        phone: Column,
        email: Opt(Column),
        province: Opt(Column),
        city: Opt(Column),
        district: Opt(Column),
        line: Opt(Column),
        lang: Opt(Column),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const Staff = Type.Object(
  {
    table: Table,
    id: Column,
    at: Opt(Column),
    /** principal.upserted `kind` for every row (default staff). */
    kind: Opt(Type.Union([Type.Literal('staff'), Type.Literal('partner'), Type.Literal('system'), Type.Literal('api_client')])),
    columns: Type.Object({ name: Column, org: Opt(Column), team: Opt(Column) }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);

const Orders = Type.Object(
  {
    table: Table,
    id: Column,
    at: Opt(Column),
    columns: Type.Object({ customerId: Column, total: Column, currency: Opt(Column) }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);

const OrderItems = Type.Object(
  {
    table: Table,
    /** The column naming the item's order. */
    orderId: Column,
    columns: Type.Object(
      { sku: Column, title: Column, price: Column, quantity: Column, model: Opt(Column), color: Opt(Column), size: Opt(Column) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const RefundType = Type.Union([Type.Literal('refund.requested'), Type.Literal('refund.completed'), Type.Literal('refund.cancelled')]);
const Refunds = Type.Object(
  {
    table: Table,
    id: Column,
    at: Opt(Column),
    columns: Type.Object({ orderId: Column, reason: Opt(Column) }, { additionalProperties: false }),
    /** The status column and which of its values means which refund event; other values are ignored. */
    status: Type.Object({ column: Column, values: Type.Record(Type.String(), RefundType) }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);

export const MysqlMappingSchema = Type.Object(
  {
    /** UTC offset of the shop's DATETIME values (they carry none), e.g. +08:00; default +00:00. */
    timezone: Opt(Type.String({ pattern: '^[+-]\\d{2}:\\d{2}$' })),
    customers: Opt(Customers),
    staff: Opt(Staff),
    orders: Opt(Orders),
    orderItems: Opt(OrderItems),
    refunds: Opt(Refunds),
  },
  { additionalProperties: false },
);
export type MysqlMapping = Static<typeof MysqlMappingSchema>;
export type MappedSection = 'customers' | 'staff' | 'orders' | 'orderItems' | 'refunds';
export const SECTIONS: readonly MappedSection[] = ['customers', 'staff', 'orders', 'orderItems', 'refunds'];

export class MappingError extends ConfigFileError {}

export function parseMapping(text: string): MysqlMapping {
  const m = parseJsonFile(text, MysqlMappingSchema, 'mapping file');
  if (m.orders && !m.orderItems) throw new MappingError('mapping file: orders need orderItems (an order event carries its items)');
  if (!SECTIONS.some((s) => m[s])) throw new MappingError('mapping file maps no table');
  return m;
}

export const loadMapping = (file: string): MysqlMapping => parseMapping(readFileSync(file, 'utf8'));

/** The section a table of the shop belongs to, if mapped. */
export function sectionOf(m: MysqlMapping, table: string): MappedSection | undefined {
  return SECTIONS.find((s) => m[s]?.table === table);
}
