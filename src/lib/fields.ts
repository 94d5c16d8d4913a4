// The data fields a principal can read and a scammer can quote. Stored as a bit mask so
// "read at least the fields the caller knew" is one AND.
export const ACCESS_FIELDS = ['name', 'phone', 'email', 'address', 'items', 'price', 'placedAt', 'refund', 'orderNo'] as const;
export type AccessField = (typeof ACCESS_FIELDS)[number];

export const FIELD_BIT: Record<AccessField, number> = Object.fromEntries(ACCESS_FIELDS.map((f, i) => [f, 1 << i])) as Record<AccessField, number>;

export function fieldsToMask(fields: readonly string[]): number {
  let m = 0;
  for (const f of fields) {
    const b = FIELD_BIT[f as AccessField];
    if (b === undefined) throw new RangeError(`unknown field "${f}"`);
    m |= b;
  }
  return m;
}

export function maskToFields(mask: number): AccessField[] {
  return ACCESS_FIELDS.filter((f) => (mask & FIELD_BIT[f]) !== 0);
}

/** Fields of an order (what a caller can only know from that order): items, price, time, refund, number. */
export const ORDER_FIELDS = FIELD_BIT.items | FIELD_BIT.price | FIELD_BIT.placedAt | FIELD_BIT.refund | FIELD_BIT.orderNo;
/** Fields of the customer (the same whichever of the customer's records shows them). */
export const CUSTOMER_FIELDS = FIELD_BIT.name | FIELD_BIT.phone | FIELD_BIT.email | FIELD_BIT.address;
