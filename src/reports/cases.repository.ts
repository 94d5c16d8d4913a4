// Incremental case clustering in SQL: the rule of hindsight.ts kept as reports arrive. Runs
// inside the report's insert transaction; PostgreSQL takes a transaction-scoped advisory lock so
// two nodes never merge or split the same cases concurrently (SQLite serialises writers anyway).
// Arrival: the report joins (and merges) the cases its fit values point at — union by size.
// Review (after the report's rows are written): when the case reached its review size, all its
// values get the over-correlation test in one pass (articulation.ts); values found over-correlated
// stop linking and that case alone is recomputed and split.
import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Dialect } from '../db/database.ts';
import { newId } from '../lib/ids.ts';
import { judgeCase, splitParts, nextCheckAfter, type HindsightRule } from './hindsight.ts';

export interface LinkKey {
  kind: string;
  value: string;
}

export interface ClusterResult {
  caseId: string;
  /** Keys that linked this report to earlier ones (fit to link). */
  linked: Set<string>;
  merged: string[];
}

const CASES_LOCK = 0x66a2_5e01;
const keyOf = (k: LinkKey) => `${k.kind}\u0000${k.value}`;

export async function lockCases(trx: Transaction<DB>, dialect: Dialect) {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${CASES_LOCK})`.execute(trx);
}

/** Assigns the new report to a case, merging the cases its indicators connect; updates indicator counts. */
export async function clusterReport(
  trx: Transaction<DB>,
  reportId: string,
  keys: LinkKey[],
  inert: LinkKey[],
  rule: HindsightRule,
  now: number,
): Promise<ClusterResult> {
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
    if (r && r.case_id && r.unlinked_reason === null) {
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
    const cases = await trx
      .selectFrom('cases')
      .select(['id', 'report_count'])
      .where('id', 'in', [...viaByCase.keys()])
      .execute();
    // Union by size: the largest case absorbs the others, so each report is relabelled O(log n) times.
    cases.sort((a, b) => Number(b.report_count) - Number(a.report_count) || (a.id < b.id ? -1 : 1));
    caseId = cases[0]!.id;
    let total = Number(cases[0]!.report_count);
    for (const c of cases.slice(1)) {
      const via = viaByCase.get(c.id)!;
      await trx.updateTable('reports').set({ case_id: caseId }).where('case_id', '=', c.id).execute();
      await trx.updateTable('indicators').set({ case_id: caseId }).where('case_id', '=', c.id).execute();
      // Old case ids stay resolvable in one hop: everything that pointed at c now points at the root.
      await trx
        .updateTable('cases')
        .set({ merged_into: caseId, report_count: 0, updated_at: now })
        .where((eb) => eb.or([eb('id', '=', c.id), eb('merged_into', '=', c.id)]))
        .execute();
      await trx
        .insertInto('case_merges')
        .values({ from_case: c.id, into_case: caseId, via_kind: via.kind, via_value: via.value, report_id: reportId, at: now })
        .execute();
      total += Number(c.report_count);
      merged.push(c.id);
    }
    await trx
      .updateTable('cases')
      .set({ report_count: total + 1, updated_at: now })
      .where('id', '=', caseId)
      .execute();
  }

  if (uniq.length) {
    // One upsert for all values: new ones start in this case, known ones count one more report.
    await trx
      .insertInto('indicators')
      .values(
        uniq.map((k) => ({
          kind: k.kind,
          value: k.value,
          report_count: 1,
          case_id: caseId,
          first_seen: now,
          last_seen: now,
          unlinked_reason: null,
          unlinked_at: null,
        })),
      )
      .onConflict((oc) => oc.columns(['kind', 'value']).doUpdateSet((eb) => ({ report_count: eb('indicators.report_count', '+', 1), last_seen: now })))
      .execute();
  }
  const inertUniq = [...new Map(inert.map((k) => [keyOf(k), k])).values()];
  if (inertUniq.length) {
    // Payment institutions named as payee: counted, never linking.
    await trx
      .insertInto('indicators')
      .values(
        inertUniq.map((k) => ({
          kind: k.kind,
          value: k.value,
          report_count: 1,
          case_id: null,
          first_seen: now,
          last_seen: now,
          unlinked_reason: 'institution',
          unlinked_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['kind', 'value']).doUpdateSet((eb) => ({
          report_count: eb('indicators.report_count', '+', 1),
          last_seen: now,
          case_id: null,
          unlinked_reason: 'institution',
          unlinked_at: eb.fn.coalesce('indicators.unlinked_at', eb.val(now)),
        })),
      )
      .execute();
  }
  return { caseId, linked, merged };
}

const splitKey = (k: string): LinkKey => {
  const i = k.indexOf('\u0000');
  return { kind: k.slice(0, i), value: k.slice(i + 1) };
};

const CHUNK = 500;
function chunks<T>(xs: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK));
  return out;
}

/**
 * Runs the over-correlation test for every value of the report's case when the case reached its
 * review size; splits the case when values are found over-correlated. Returns the report's case.
 */
export async function reviewCase(
  trx: Transaction<DB>,
  caseId: string,
  reportId: string,
  rule: HindsightRule,
  now: number,
): Promise<{ caseId: string; split: string[] }> {
  const c = await trx.selectFrom('cases').select(['report_count', 'next_review']).where('id', '=', caseId).executeTakeFirstOrThrow();
  if (Number(c.report_count) < Math.max(rule.firstCheck, Number(c.next_review))) return { caseId, split: [] };
  await trx
    .updateTable('cases')
    .set({ next_review: nextCheckAfter(Number(c.report_count)) })
    .where('id', '=', caseId)
    .execute();

  // The case's reports with the values still fit to link: the only part of the graph the test reads.
  const rows = await trx
    .selectFrom('report_indicators as ri')
    .innerJoin('reports as r', 'r.id', 'ri.report_id')
    .innerJoin('indicators as i', (j) => j.onRef('i.kind', '=', 'ri.kind').onRef('i.value', '=', 'ri.value'))
    .select(['ri.report_id', 'ri.kind', 'ri.value'])
    .where('r.case_id', '=', caseId)
    .where('ri.official', '=', 0)
    .where('i.unlinked_reason', 'is', null)
    .execute();
  const members = new Map<string, string[]>();
  for (const r of rows) {
    let m = members.get(r.report_id);
    if (!m) members.set(r.report_id, (m = []));
    m.push(keyOf(r));
  }
  // Reports whose values are all unlinked still belong to the case until it splits.
  for (const r of await trx.selectFrom('reports').select('id').where('case_id', '=', caseId).execute()) if (!members.has(r.id)) members.set(r.id, []);

  const verdicts = judgeCase(members, () => true, rule);
  const over = new Map([...verdicts].map(([k, v]) => [k, v.reason!]));
  const isFit = (k: string) => !over.has(k);
  for (const [k, reason] of over) {
    const { kind, value } = splitKey(k);
    await trx
      .updateTable('indicators')
      .set({ unlinked_reason: reason, unlinked_at: now, case_id: null })
      .where('kind', '=', kind)
      .where('value', '=', value)
      .execute();
    await trx.updateTable('report_indicators').set({ linked: 0 }).where('kind', '=', kind).where('value', '=', value).execute();
  }
  if (!over.size) return { caseId, split: [] };

  const parts = splitParts(members, isFit);
  const via = splitKey([...over.keys()][0]!);
  const reason = [...over.values()][0]!;
  let mine = parts[0]!.includes(reportId) ? caseId : '';
  const created: string[] = [];
  for (const part of parts.slice(1)) {
    const id = newId('case');
    created.push(id);
    if (part.includes(reportId)) mine = id;
    await trx
      .insertInto('cases')
      .values({
        id,
        merged_into: null,
        split_from: caseId,
        report_count: part.length,
        next_review: nextCheckAfter(part.length),
        created_at: now,
        updated_at: now,
      })
      .execute();
    for (const c of chunks(part)) await trx.updateTable('reports').set({ case_id: id }).where('id', 'in', c).execute();
    const values = [...new Set(part.flatMap((r) => members.get(r)!.filter(isFit)))].map(splitKey);
    for (const c of chunks(values)) {
      await trx
        .updateTable('indicators')
        .set({ case_id: id })
        .where((eb) => eb.or(c.map((k) => eb.and([eb('kind', '=', k.kind), eb('value', '=', k.value)]))))
        .execute();
    }
    await trx
      .insertInto('case_splits')
      .values({ from_case: caseId, into_case: id, via_kind: via.kind, via_value: via.value, reason, reports: part.length, report_id: reportId, at: now })
      .execute();
  }
  await trx
    .updateTable('cases')
    .set({ report_count: parts[0]!.length, next_review: nextCheckAfter(parts[0]!.length), updated_at: now })
    .where('id', '=', caseId)
    .execute();
  return { caseId: mine || caseId, split: created };
}

export { keyOf };
