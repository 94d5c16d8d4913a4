// The cases list for triage: filtered, sorted and paginated in SQL over the cases and an
// aggregate of their reports (victims, loss, last contact); the page's main indicator and its
// risk tier are read for the page only.
import { sql, type Kysely, type SqlBool, type Expression } from 'kysely';
import type { DB } from '../db/schema.ts';
import { assigneesOf, OPEN_STATUSES, type CasePriority, type CaseSort, type CaseStatus } from './workflow.model.ts';
import { viewOf } from './workflow.store.ts';
import type { RiskTier } from './risk.ts';

export interface CaseQuery {
  status?: CaseStatus[];
  priority?: CasePriority[];
  /** 'me', 'none', or a stored assignee ('key:<name>', 'principal:<id>'). */
  assignee?: string;
  tag?: string;
  overdue?: boolean;
  /** Cases with an indicator whose value contains this text. */
  indicator?: string;
  minReports?: number;
  minLoss?: number;
  sort?: CaseSort;
  order?: 'asc' | 'desc';
}

/** Built-in saved filters every analyst has. */
export const BUILTIN_FILTERS: { id: string; name: string; query: CaseQuery }[] = [
  { id: 'mine', name: 'My open cases', query: { assignee: 'me', status: [...OPEN_STATUSES], sort: 'due', order: 'asc' } },
  { id: 'overdue', name: 'Overdue', query: { overdue: true, sort: 'due', order: 'asc' } },
  { id: 'unassigned', name: 'Unassigned open cases', query: { assignee: 'none', status: [...OPEN_STATUSES], sort: 'lastContact', order: 'desc' } },
];

const PRIORITY_RANK = sql<number>`case c.priority when 'urgent' then 3 when 'high' then 2 when 'normal' then 1 else 0 end`;

const likeText = (s: string) => `%${s.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

export async function listCases(
  db: Kysely<DB>,
  q: CaseQuery & { limit: number; offset: number },
  me: { keyName: string; principalId: string | null },
  riskOf: (keys: { kind: string; value: string }[]) => Promise<Map<string, { tier: RiskTier }>>,
  now = Date.now(),
) {
  const agg = db
    .selectFrom('reports')
    .select((eb) => [
      'case_id',
      sql<number>`count(distinct coalesce(customer_id, id))`.as('victims'),
      eb.fn.sum<number>('loss_minor').as('loss'),
      eb.fn.max<number>('contact_at').as('last_contact'),
    ])
    .groupBy('case_id')
    .as('a');
  let base = db
    .selectFrom('cases as c')
    .innerJoin(agg, 'a.case_id', 'c.id')
    .where('c.merged_into', 'is', null)
    .where('c.report_count', '>=', q.minReports ?? 1);
  if (q.status?.length) base = base.where('c.status', 'in', q.status);
  if (q.priority?.length) base = base.where('c.priority', 'in', q.priority);
  if (q.assignee === 'me') base = base.where('c.assignee', 'in', assigneesOf(me));
  else if (q.assignee === 'none') base = base.where('c.assignee', 'is', null);
  else if (q.assignee) base = base.where('c.assignee', '=', q.assignee);
  if (q.tag) base = base.where(sql<SqlBool>`c.tags like ${likeText(JSON.stringify(q.tag))} escape '\\'`);
  if (q.overdue) base = base.where('c.status', '!=', 'resolved').where('c.due_at', '<', now);
  if (q.minLoss !== undefined) base = base.where('a.loss', '>=', Math.round(q.minLoss * 100));
  if (q.indicator) {
    const text = likeText(q.indicator.toLowerCase());
    base = base.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('report_indicators as ri')
          .innerJoin('reports as r', 'r.id', 'ri.report_id')
          .select(sql`1`.as('one'))
          .whereRef('r.case_id', '=', 'c.id')
          .where('ri.official', '=', 0)
          .where(sql<SqlBool>`lower(ri.value) like ${text} escape '\\'`),
      ),
    );
  }
  const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  const dir = q.order ?? (q.sort === 'due' ? 'asc' : 'desc');
  const sortExpr: Record<CaseSort, Expression<unknown>> = {
    lastContact: sql`a.last_contact`,
    loss: sql`a.loss`,
    victims: sql`a.victims`,
    reports: sql`c.report_count`,
    priority: PRIORITY_RANK,
    due: sql`c.due_at`,
    updated: sql`c.updated_at`,
    created: sql`c.created_at`,
  };
  const rows = await base
    .select([
      'c.id',
      'c.report_count',
      'c.status',
      'c.resolution',
      'c.priority',
      'c.due_at',
      'c.assignee',
      'c.tags',
      'c.created_at',
      'c.updated_at',
      'a.victims',
      'a.loss',
      'a.last_contact',
    ])
    // Cases without a due date come last whichever way the dates sort.
    .$if(q.sort === 'due', (qb) => qb.orderBy(sql`case when c.due_at is null then 1 else 0 end`))
    .orderBy(sortExpr[q.sort ?? 'lastContact'], dir)
    .orderBy('c.id')
    .limit(q.limit)
    .offset(q.offset)
    .execute();

  const ids = rows.map((r) => r.id);
  const [currencies, mains] = ids.length ? await Promise.all([pageCurrencies(db, ids), mainIndicators(db, ids)]) : [new Map(), new Map()];
  const risk = await riskOf([...mains.values()]);
  const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
  return {
    total,
    limit: q.limit,
    offset: q.offset,
    items: rows.map((r) => {
      const main = mains.get(r.id) ?? null;
      const wf = viewOf(r);
      return {
        id: r.id,
        reports: Number(r.report_count),
        victims: Number(r.victims),
        loss: currencies.get(r.id) ?? { currency: 'CNY', total: 0 },
        lastContact: iso(Number(r.last_contact))!,
        mainIndicator: main,
        tier: (main ? risk.get(`${main.kind}\u0000${main.value}`)?.tier : undefined) ?? ('none' as RiskTier),
        ...wf,
        overdue: wf.status !== 'resolved' && r.due_at !== null && Number(r.due_at) < now,
        createdAt: iso(Number(r.created_at))!,
        updatedAt: iso(Number(r.updated_at))!,
      };
    }),
  };
}

/** Each case's loss in its main currency (the one with the most reported loss). */
async function pageCurrencies(db: Kysely<DB>, ids: string[]) {
  const rows = await db
    .selectFrom('reports')
    .select((eb) => ['case_id', 'currency', eb.fn.sum<number>('loss_minor').as('loss')])
    .where('case_id', 'in', ids)
    .groupBy(['case_id', 'currency'])
    .execute();
  const out = new Map<string, { currency: string; total: number }>();
  for (const r of rows) {
    const cur = out.get(r.case_id);
    if (!cur || Number(r.loss) / 100 > cur.total) out.set(r.case_id, { currency: r.currency, total: Number(r.loss) / 100 });
  }
  return out;
}

/** Each case's most reported indicator still fit to link (ties: the kind, then the value). */
async function mainIndicators(db: Kysely<DB>, ids: string[]) {
  const rows = await db
    .selectFrom('report_indicators as ri')
    .innerJoin('reports as r', 'r.id', 'ri.report_id')
    .innerJoin('indicators as i', (j) => j.onRef('i.kind', '=', 'ri.kind').onRef('i.value', '=', 'ri.value'))
    .select((eb) => ['r.case_id', 'ri.kind', 'ri.value', eb.fn.countAll<number>().as('n')])
    .where('r.case_id', 'in', ids)
    .where('ri.official', '=', 0)
    .where('i.unlinked_reason', 'is', null)
    .groupBy(['r.case_id', 'ri.kind', 'ri.value'])
    .execute();
  const out = new Map<string, { kind: string; value: string; reports: number }>();
  for (const r of rows) {
    const cur = out.get(r.case_id);
    const n = Number(r.n);
    if (!cur || n > cur.reports || (n === cur.reports && `${r.kind}\u0000${r.value}` < `${cur.kind}\u0000${cur.value}`))
      out.set(r.case_id, { kind: r.kind, value: r.value, reports: n });
  }
  return out;
}
