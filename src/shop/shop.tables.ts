// Tables of the shop area: the shop's own data as its events describe it (customers with sealed
// personal data, orders, refunds, principals — staff, partners, systems —, the exports the shop
// made and customer logins). Only src/shop reads or writes them (see ARCHITECTURE.md, "Owners and
// the gate"); other areas go through ShopService, ingestion through shop.ingest.ts.
import type { Generated } from 'kysely';

export interface CustomersTable {
  id: string;
  name_enc: string | null;
  phone_enc: string | null;
  email_enc: string | null;
  address_enc: string | null;
  /** Coarse location kept in clear: agents may see it and incidents count by it. */
  province: string | null;
  city: string | null;
  phone_bidx: string | null;
  email_bidx: string | null;
  lang: string | null;
  canary: number;
  created_at: number;
  /** `at` of the newest upsert applied, so late history never overwrites newer data. */
  updated_at: number;
}

export interface OrdersTable {
  id: string;
  customer_id: string;
  items: string;
  total_minor: number;
  currency: string;
  placed_at: number;
  updated_at: number;
}

export interface RefundsTable {
  id: string;
  order_id: string;
  state: string;
  reason: string | null;
  requested_at: number | null;
  completed_at: number | null;
  cancelled_at: number | null;
  updated_at: number;
}

export interface PrincipalsTable {
  id: string;
  kind: string;
  name: string;
  org: string | null;
  team: string | null;
  updated_at: number;
}

/**
 * An export the shop made (export.created): who received which fields of how many records. The
 * records themselves are access-log rows (audit area) carrying this id; the canaries area's
 * fingerprinted files (export_files) reuse the id when fanzha generated the export.
 */
export interface ExportsTable {
  id: string;
  principal_id: string;
  fields: number;
  subject_kind: string;
  record_count: number;
  at: number;
}

export interface LoginsTable {
  seq: Generated<number>;
  event_id: string;
  customer_id: string | null;
  /** Keyed HMAC of the normalised username: usernames are personal data. */
  username_bidx: string | null;
  ip: string | null;
  device_id: string | null;
  user_agent: string | null;
  outcome: string;
  at: number;
}

declare module '../db/schema.ts' {
  interface DB {
    customers: CustomersTable;
    orders: OrdersTable;
    refunds: RefundsTable;
    principals: PrincipalsTable;
    exports: ExportsTable;
    logins: LoginsTable;
  }
}
