// The scope of an incident: everyone whose data the principal(s) read, with at least one of the
// incident's fields, in the window — from the access log (read by the audit area), canary
// customers excluded.
import type { AccessReads } from '../audit/access-reads.ts';
import { ACCESS_FIELDS, FIELD_BIT } from '../lib/fields.ts';
import type { IncidentCustomersTable } from './incidents.tables.ts';

export interface AffectedCustomer {
  customerId: string;
  province: string | null;
  /** The incident's fields this customer's data was read with. */
  fields: number;
  firstReadAt: number;
  lastReadAt: number;
  maxPos: number | null;
}

export interface ScopeCounts {
  byField: Record<string, number>;
  byProvince: Record<string, number>;
}

export async function computeScope(access: AccessReads, q: { principalIds: string[]; fields: number; from: number; to: number }): Promise<AffectedCustomer[]> {
  const rows = await access.readsByPrincipals(q);
  const byCustomer = new Map<string, AffectedCustomer>();
  for (const r of rows) {
    const { customerId: id, at, pos } = r;
    const f = r.fields & q.fields;
    const c = byCustomer.get(id);
    if (!c) byCustomer.set(id, { customerId: id, province: r.province, fields: f, firstReadAt: at, lastReadAt: at, maxPos: pos });
    else {
      c.fields |= f;
      c.firstReadAt = Math.min(c.firstReadAt, at);
      c.lastReadAt = Math.max(c.lastReadAt, at);
      if (pos !== null) c.maxPos = c.maxPos === null ? pos : Math.max(c.maxPos, pos);
    }
  }
  return [...byCustomer.values()].sort((a, b) => (a.customerId < b.customerId ? -1 : 1));
}

export function scopeCounts(customers: readonly Pick<AffectedCustomer, 'fields' | 'province'>[]): ScopeCounts {
  const byField: Record<string, number> = {};
  const byProvince: Record<string, number> = {};
  for (const c of customers) {
    for (const f of ACCESS_FIELDS) if (c.fields & FIELD_BIT[f]) byField[f] = (byField[f] ?? 0) + 1;
    const p = c.province ?? 'unknown';
    byProvince[p] = (byProvince[p] ?? 0) + 1;
  }
  return { byField, byProvince };
}

/** The incident's customer rows for a computed scope (no notice sent yet). */
export function scopeRows(incidentId: string, customers: readonly AffectedCustomer[]): IncidentCustomersTable[] {
  return customers.map((c) => ({
    incident_id: incidentId,
    customer_id: c.customerId,
    province: c.province,
    fields: c.fields,
    first_read_at: c.firstReadAt,
    last_read_at: c.lastReadAt,
    max_pos: c.maxPos,
    notice_id: null,
  }));
}
