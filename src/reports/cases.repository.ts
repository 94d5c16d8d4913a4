// Incremental case clustering in SQL: the rule of clustering.ts kept as reports arrive.
// Runs inside the report's insert transaction; PostgreSQL takes a transaction-scoped advisory
// lock so two nodes never merge the same cases concurrently (SQLite serialises writers anyway).
import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Dialect } from '../db/database.ts';
import { newId } from '../lib/ids.ts';

export interface LinkKey {
  kind: string;
  value: string;
}

export interface ClusterResult {
  caseId: string;
  /** Keys that linked this report to earlier ones (under the cap). */
  linked: Set<string>;
  merged: string[];
}

const CASES_LOCK = 0x66a2_5e01;
const keyOf = (k: LinkKey) => `${k.kind}\u0000${k.value}`;

export async function lockCases(trx: Transaction<DB>, dialect: Dialect) {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${CASES_LOCK})`.execute(trx);
}

/** Assigns the new report to a case, merging the cases its indicators connect; updates indicator counts. */
export async function clusterReport(trx: Transaction<DB>, reportId: string, keys: LinkKey[], cap: number, now: number): Promise<ClusterResult> {
  const uniq = [...new Map(keys.map((k) => [keyOf(k), k])).values()];
  const rows = uniq.length
    ? await trx
        .selectFrom('indicators')
        .selectAll()
        .where((eb) => eb.or(uniq.map((k) => eb.and([eb('kind', '=', k.kind), eb('value', '=', k.value)]))))
        .execute()
    : [];
  const existing = new Map(rows.map((r) => [keyOf(r), r]));
  const linked = new Set<string>();
  const viaByCase = new Map<string, LinkKey>();
  for (const k of uniq) {
    const r = existing.get(keyOf(k));
    if (r && r.case_id && Number(r.report_count) < cap) {
      linked.add(keyOf(k));
      if (!viaByCase.has(r.case_id)) viaByCase.set(r.case_id, k);
    }
  }

  let caseId: string;
  const merged: string[] = [];
  if (viaByCase.size === 0) {
    caseId = newId('case');
    await trx.insertInto('cases').values({ id: caseId, merged_into: null, report_count: 1, created_at: now, updated_at: now }).execute();
  } else {
    const cases = await trx.selectFrom('cases').select(['id', 'report_count']).where('id', 'in', [...viaByCase.keys()]).execute();
    // Union by size: the largest case absorbs the others, so each report is relabelled O(log n) times.
    cases.sort((a, b) => Number(b.report_count) - Number(a.report_count) || (a.id < b.id ? -1 : 1));
    caseId = cases[0]!.id;
    let total = Number(cases[0]!.report_count);
    for (const c of cases.slice(1)) {
      const via = viaByCase.get(c.id)!;
      await trx.updateTable('reports').set({ case_id: caseId }).where('case_id', '=', c.id).execute();
      await trx.updateTable('indicators').set({ case_id: caseId }).where('case_id', '=', c.id).execute();
      // Old case ids stay resolvable in one hop: everything that pointed at c now points at the root.
      await trx.updateTable('cases').set({ merged_into: caseId, report_count: 0, updated_at: now }).where((eb) => eb.or([eb('id', '=', c.id), eb('merged_into', '=', c.id)])).execute();
      await trx.insertInto('case_merges').values({ from_case: c.id, into_case: caseId, via_kind: via.kind, via_value: via.value, report_id: reportId, at: now }).execute();
      total += Number(c.report_count);
      merged.push(c.id);
    }
    await trx.updateTable('cases').set({ report_count: total + 1, updated_at: now }).where('id', '=', caseId).execute();
  }

  if (uniq.length) {
    // One upsert for all values: new ones start in this case, known ones count one more report.
    await trx
      .insertInto('indicators')
      .values(uniq.map((k) => ({ kind: k.kind, value: k.value, report_count: 1, case_id: caseId, first_seen: now, last_seen: now })))
      .onConflict((oc) => oc.columns(['kind', 'value']).doUpdateSet((eb) => ({ report_count: eb('indicators.report_count', '+', 1), last_seen: now })))
      .execute();
  }
  return { caseId, linked, merged };
}

export { keyOf };
