// Table types for Kysely. Each area adds its tables here next to its migration.
// Times are epoch milliseconds (bigint in PostgreSQL, parsed to number), booleans are 0/1,
// JSON is stored as text so one migration serves both dialects.
import type { Generated } from 'kysely';

export interface ApiKeysTable {
  id: string;
  name: string;
  role: string;
  principal_id: string | null;
  key_hash: string;
  key_prefix: string;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface EventsTable {
  id: string;
  type: string;
  at: number;
  received_at: number;
  /** The main id the event is about (customer, order, refund...), never personal data. */
  subject: string | null;
}

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

export interface AccessLogTable {
  seq: Generated<number>;
  /** 'event' (ingested data.accessed / export.created) or 'vault' (read through fanzha). */
  source: string;
  event_id: string | null;
  principal_id: string;
  customer_id: string | null;
  order_id: string | null;
  /** Bit mask over ACCESS_FIELDS. */
  fields: number;
  purpose: string | null;
  channel: string;
  ip: string | null;
  export_id: string | null;
  at: number;
  recorded_at: number;
}

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

export interface DB {
  api_keys: ApiKeysTable;
  events: EventsTable;
  customers: CustomersTable;
  orders: OrdersTable;
  refunds: RefundsTable;
  principals: PrincipalsTable;
  access_log: AccessLogTable;
  exports: ExportsTable;
  logins: LoginsTable;
}
