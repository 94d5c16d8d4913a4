// The shop tables' columns and upserts as ingestion writes them. Free of imports: the ingest
// worker thread loads the column order (its wire format) without the database code.

/** Upserts that keep the newest state when history arrives out of order (same SQL on both dialects). */
export const UPSERT_SQL = {
  customers: `ON CONFLICT (id) DO UPDATE SET name_enc = excluded.name_enc, phone_enc = excluded.phone_enc,
    email_enc = excluded.email_enc, address_enc = excluded.address_enc, province = excluded.province,
    city = excluded.city, phone_bidx = excluded.phone_bidx, email_bidx = excluded.email_bidx,
    lang = COALESCE(excluded.lang, customers.lang), updated_at = excluded.updated_at
    WHERE excluded.updated_at >= customers.updated_at`,
  principals: `ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, org = excluded.org,
    team = excluded.team, updated_at = excluded.updated_at WHERE excluded.updated_at >= principals.updated_at`,
  orders: `ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, items = excluded.items,
    total_minor = excluded.total_minor, currency = excluded.currency, placed_at = excluded.placed_at,
    updated_at = excluded.updated_at WHERE excluded.updated_at >= orders.updated_at`,
  refunds: `ON CONFLICT (id) DO UPDATE SET
    requested_at = COALESCE(excluded.requested_at, refunds.requested_at),
    completed_at = COALESCE(excluded.completed_at, refunds.completed_at),
    cancelled_at = COALESCE(excluded.cancelled_at, refunds.cancelled_at),
    reason = COALESCE(excluded.reason, refunds.reason),
    state = CASE WHEN excluded.updated_at >= refunds.updated_at THEN excluded.state ELSE refunds.state END,
    updated_at = CASE WHEN excluded.updated_at > refunds.updated_at THEN excluded.updated_at ELSE refunds.updated_at END`,
  exports: 'ON CONFLICT (id) DO NOTHING',
  logins: '',
} as const;

/** Column order of each shop table as ingestion writes it (also the ingest worker's wire order). */
export const SHOP_COLUMNS = {
  customers: [
    'id',
    'name_enc',
    'phone_enc',
    'email_enc',
    'address_enc',
    'province',
    'city',
    'phone_bidx',
    'email_bidx',
    'lang',
    'canary',
    'created_at',
    'updated_at',
  ],
  principals: ['id', 'kind', 'name', 'org', 'team', 'updated_at'],
  orders: ['id', 'customer_id', 'items', 'total_minor', 'currency', 'placed_at', 'updated_at'],
  refunds: ['id', 'order_id', 'state', 'reason', 'requested_at', 'completed_at', 'cancelled_at', 'updated_at'],
  exports: ['id', 'principal_id', 'fields', 'subject_kind', 'record_count', 'at'],
  logins: ['event_id', 'customer_id', 'username_bidx', 'ip', 'device_id', 'user_agent', 'outcome', 'at'],
} as const;
