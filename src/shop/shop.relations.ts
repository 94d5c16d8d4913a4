// Read-only relations the shop publishes for other owners' queries to join (the access log names
// orders, and counts by a customer's province). The SQL on the shop's tables stays here; a query
// elsewhere embeds these as derived tables, which both databases flatten into a plain join, so a
// join across owners costs what the direct join cost.
import type { QueryCreator } from 'kysely';
import type { DB } from '../db/schema.ts';
import './shop.tables.ts';

export const shopRelations = {
  /** Each stored order's customer: (id, customer_id). */
  orderCustomers: (db: QueryCreator<DB>) => db.selectFrom('orders').select(['id', 'customer_id']),
  /** Real (non-canary) customers and their province: (id, province). */
  realCustomerPlaces: (db: QueryCreator<DB>) => db.selectFrom('customers').select(['id', 'province']).where('canary', '=', 0),
  /** Refund requests by order: (order_id, requested_at), requested ones only. */
  refundRequests: (db: QueryCreator<DB>) => db.selectFrom('refunds').select(['order_id', 'requested_at']).where('requested_at', 'is not', null),
};
