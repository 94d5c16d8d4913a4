// Case statistics: what an analyst (and the police file) needs at a glance.
import type { ReportsService } from './reports.service.ts';
import { maskToFields } from '../lib/fields.ts';
import { median } from '../lib/median.ts';

function counted(m: Map<string, { reports: number; loss: number }>) {
  return [...m.entries()].map(([key, v]) => ({ key, reports: v.reports, loss: v.loss / 100 })).sort((a, b) => b.reports - a.reports || b.loss - a.loss);
}

function bump(m: Map<string, { reports: number; loss: number }>, key: string, loss: number) {
  const v = m.get(key) ?? { reports: 0, loss: 0 };
  v.reports++;
  v.loss += loss;
  m.set(key, v);
}

export async function caseStats(svc: ReportsService, caseId: string) {
  const reports = await svc.caseReports(caseId);
  if (!reports.length) return null;
  const payments = await svc.casePayments(caseId);
  const indicators = await svc.caseIndicators(caseId);
  const merges = await svc.caseMerges(caseId);
  const splits = await svc.caseSplits(caseId);
  const row = (await svc.caseRow(caseId))!;
  const currency = mostCommon(reports.map((r) => r.currency)) ?? 'CNY';
  const losses = reports.filter((r) => r.currency === currency).map((r) => Number(r.loss_minor));
  const byChannel = new Map<string, { reports: number; loss: number }>();
  const byScript = new Map<string, { reports: number; loss: number }>();
  const byKnew = new Map<string, { reports: number; loss: number }>();
  const byDay = new Map<string, { reports: number; loss: number }>();
  const victims = new Set<string>();
  for (const r of reports) {
    const loss = Number(r.loss_minor);
    bump(byChannel, r.channel, loss);
    for (const t of (JSON.parse(r.details) as { scriptTags: string[] }).scriptTags) bump(byScript, t, loss);
    for (const f of maskToFields(r.knew_fields)) bump(byKnew, f, loss);
    bump(byDay, new Date(Number(r.contact_at)).toISOString().slice(0, 10), loss);
    victims.add(r.customer_id ? `c:${r.customer_id}` : `r:${r.id}`);
  }
  const byMethod = new Map<string, { reports: number; loss: number }>();
  const methodSeen = new Set<string>();
  const payees = new Map<string, { payee: string; account: string | null; institution: string | null; amount: number; payments: number; currency: string }>();
  const byCurrency = new Map<string, number>();
  for (const p of payments) {
    const amt = Number(p.amount_minor);
    byCurrency.set(p.currency, (byCurrency.get(p.currency) ?? 0) + amt);
    const mk = `${p.report_id}\u0000${p.method}`;
    if (!methodSeen.has(mk)) {
      methodSeen.add(mk);
      bump(byMethod, p.method, 0);
    }
    byMethod.get(p.method)!.loss += amt;
    const name = p.payee_name ?? p.payee_account ?? p.merchant_id;
    if (!name) continue;
    const k = `${name}\u0000${p.payee_account ?? ''}\u0000${p.currency}`;
    const v = payees.get(k) ?? { payee: name, account: p.payee_account, institution: p.institution, amount: 0, payments: 0, currency: p.currency };
    v.amount += amt;
    v.payments++;
    payees.set(k, v);
  }
  const risk = await svc.riskOf(indicators.map((i) => ({ kind: i.kind, value: i.value })));
  return {
    id: caseId,
    reports: reports.length,
    victims: victims.size,
    loss: { currency, total: losses.reduce((a, b) => a + b, 0) / 100, median: (median(losses) ?? 0) / 100, max: Math.max(0, ...losses) / 100 },
    lossByCurrency: [...byCurrency.entries()].map(([c, t]) => ({ currency: c, total: t / 100 })),
    firstContact: new Date(Number(reports[0]!.contact_at)).toISOString(),
    lastContact: new Date(Number(reports[reports.length - 1]!.contact_at)).toISOString(),
    timeline: [...byDay.entries()].sort().map(([day, v]) => ({ day, reports: v.reports, loss: v.loss / 100 })),
    byChannel: counted(byChannel),
    byPaymentMethod: counted(byMethod),
    byScript: counted(byScript),
    knewFields: counted(byKnew),
    topIndicators: indicators
      .map((i) => ({ kind: i.kind, value: i.value, reports: Number(i.n), tier: risk.get(`${i.kind}\u0000${i.value}`)?.tier ?? 'none' }))
      .sort((a, b) => b.reports - a.reports || a.kind.localeCompare(b.kind))
      .slice(0, 20),
    topPayees: [...payees.values()]
      .sort((a, b) => b.amount - a.amount)
      .slice(0, 10)
      .map((p) => ({ ...p, amount: p.amount / 100 })),
    merges: merges.map((m) => ({ from: m.from_case, via: m.via_kind, at: new Date(Number(m.at)).toISOString() })),
    splitFrom: row.split_from,
    splits: splits.map((x) => ({
      from: x.from_case,
      into: x.into_case,
      via: x.via_kind,
      viaValue: x.via_value,
      reason: x.reason,
      reports: Number(x.reports),
      at: new Date(Number(x.at)).toISOString(),
    })),
    createdAt: new Date(Number(row.created_at)).toISOString(),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
  };
}
export type CaseStatsT = NonNullable<Awaited<ReturnType<typeof caseStats>>>;

function mostCommon(xs: string[]): string | undefined {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}
