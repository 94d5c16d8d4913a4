// The totals at a glance: what the console's first screen shows.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { ReportsService } from './reports.service.ts';

export async function reportsOverview(db: Kysely<DB>, svc: ReportsService, now = Date.now(), days = 30) {
  const since = now - days * 86_400_000;
  const [totals, cases, multi, loss, recent, channels, top, payees] = await Promise.all([
    db
      .selectFrom('reports')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('merged_into', 'is', null)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('merged_into', 'is', null)
      .where('report_count', '>=', 2)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('report_payments')
      .select(['currency', (eb) => eb.fn.sum<number>('amount_minor').as('total')])
      .groupBy('currency')
      .execute(),
    db.selectFrom('reports').select(['contact_at', 'loss_minor']).where('contact_at', '>=', since).execute(),
    db
      .selectFrom('reports')
      .select(['channel', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('channel')
      .execute(),
    db.selectFrom('indicators').select(['kind', 'value', 'report_count']).orderBy('report_count', 'desc').orderBy('kind').orderBy('value').limit(10).execute(),
    db
      .selectFrom('report_payments')
      .select(['payee_name', 'payee_account', 'currency', (eb) => eb.fn.sum<number>('amount_minor').as('total'), (eb) => eb.fn.countAll<number>().as('n')])
      .where((eb) => eb.or([eb('payee_name', 'is not', null), eb('payee_account', 'is not', null)]))
      .groupBy(['payee_name', 'payee_account', 'currency'])
      .orderBy('total', 'desc')
      .limit(10)
      .execute(),
  ]);
  const byDay = new Map<string, { reports: number; loss: number }>();
  for (const r of recent) {
    const d = new Date(Number(r.contact_at)).toISOString().slice(0, 10);
    const v = byDay.get(d) ?? { reports: 0, loss: 0 };
    v.reports++;
    v.loss += Number(r.loss_minor);
    byDay.set(d, v);
  }
  const risk = await svc.riskOf(top.map((t) => ({ kind: t.kind, value: t.value })));
  return {
    reports: Number(totals.n),
    cases: Number(cases.n),
    casesWithSeveralReports: Number(multi.n),
    lossByCurrency: loss.map((l) => ({ currency: l.currency, total: Number(l.total) / 100 })),
    lastDays: [...byDay.entries()].sort().map(([day, v]) => ({ day, reports: v.reports, loss: v.loss / 100 })),
    byChannel: channels.map((c) => ({ key: c.channel, reports: Number(c.n) })).sort((a, b) => b.reports - a.reports),
    topIndicators: top.map((t) => ({
      kind: t.kind,
      value: t.value,
      reports: Number(t.report_count),
      tier: risk.get(`${t.kind}\u0000${t.value}`)?.tier ?? 'none',
    })),
    topPayees: payees.map((p) => ({
      payee: p.payee_name ?? p.payee_account!,
      account: p.payee_account,
      currency: p.currency,
      amount: Number(p.total) / 100,
      payments: Number(p.n),
    })),
  };
}
