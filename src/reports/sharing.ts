// Sharing what a shop learned: CSV exports and a printable case file for the police (the STIX
// 2.1 bundle is in stix.ts). Exports carry indicators (the scammers' phones, links, accounts) and case
// figures; they never carry victims' names, phones or order ids.
import { maskToFields } from '../lib/fields.ts';
import { zonedTime, zoneLabel } from '../lib/zoned-time.ts';
import { DEFAULT_SHOP_TIME_ZONE } from '../shop/shop.config.ts';
import type { ReportsService } from './reports.service.ts';
import type { CaseStatsT } from './case-stats.ts';

// ---- CSV ----

/** RFC 4180 field, with spreadsheet formula injection neutralised (a leading = + - @ gets a quote). */
export function csvField(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
export const csvLine = (xs: unknown[]) => xs.map(csvField).join(',') + '\r\n';

export async function reportsCsv(svc: ReportsService, limit: number): Promise<string> {
  const rows = await svc.exportReports(limit);
  const inds = await svc.reportIndicatorsFor(rows.map((r) => r.id));
  let out = csvLine([
    'report_id',
    'reference',
    'case_id',
    'trust',
    'channel',
    'contact_at',
    'received_at',
    'knew_fields',
    'script_tags',
    'loss',
    'currency',
    'phones',
    'domains',
    'payee_accounts',
    'payee_names',
  ]);
  for (const r of rows) {
    const mine = inds.filter((i) => i.report_id === r.id && i.official === 0);
    const of = (k: string) =>
      mine
        .filter((i) => i.kind === k)
        .map((i) => i.value)
        .join(' ');
    const d = JSON.parse(r.details) as { scriptTags: string[] };
    out += csvLine([
      r.id,
      r.ref,
      r.case_id,
      r.trust,
      r.channel,
      new Date(Number(r.contact_at)).toISOString(),
      new Date(Number(r.received_at)).toISOString(),
      maskToFields(r.knew_fields).join(' '),
      d.scriptTags.join(' '),
      (Number(r.loss_minor) / 100).toFixed(2),
      r.currency,
      of('phone'),
      of('domain'),
      of('payee_account'),
      of('payee_name'),
    ]);
  }
  return out;
}

export function casesCsv(stats: CaseStatsT[]): string {
  let out = csvLine([
    'case_id',
    'reports',
    'victims',
    'loss_total',
    'loss_median',
    'loss_max',
    'currency',
    'first_contact',
    'last_contact',
    'top_payee',
    'top_indicator',
  ]);
  for (const s of stats) {
    const top = s.topIndicators[0];
    out += csvLine([
      s.id,
      s.reports,
      s.victims,
      s.loss.total.toFixed(2),
      s.loss.median.toFixed(2),
      s.loss.max.toFixed(2),
      s.loss.currency,
      s.firstContact,
      s.lastContact,
      s.topPayees[0]?.payee ?? '',
      top ? `${top.kind}:${top.value}` : '',
    ]);
  }
  return out;
}

// ---- Police case file ----

const md = (s: string) => s.replace(/[\\`*_{}[\]<>|#]/g, (c) => `\\${c}`);

/** Times are the shop's (areas.shop.timeZone, default Asia/Shanghai), each with its offset: the police read local times. */
export function caseFileMarkdown(
  stats: CaseStatsT,
  reports: { ref: string; contact_at: number; channel: string; loss_minor: number; currency: string; trust: string; details: string; knew_fields: number }[],
  payments: {
    contact_at: number;
    amount_minor: number;
    currency: string;
    method: string;
    payee_name: string | null;
    payee_account: string | null;
    institution: string | null;
    txn_ref: string | null;
    paid_at: number | null;
  }[],
  producer: string,
  timeZone: string = DEFAULT_SHOP_TIME_ZONE,
  now: number = Date.now(),
): string {
  const T = (at: number | string) => zonedTime(at, timeZone);
  const L: string[] = [];
  L.push(
    `# 案件材料 Case file ${stats.id}`,
    '',
    `Prepared by ${md(producer)} with fanzha on ${T(now)}. 时间均为 All times in ${zoneLabel(timeZone, now)}. Victims' personal data is not included; the shop can provide it to the police on a formal request.`,
    '',
  );
  L.push(
    '## 概况 Summary',
    '',
    `| | |`,
    `|---|---|`,
    `| Reports | ${stats.reports} |`,
    `| Victims | ${stats.victims} |`,
    `| Total loss | ${stats.loss.total.toFixed(2)} ${stats.loss.currency} |`,
    `| Median / largest loss | ${stats.loss.median.toFixed(2)} / ${stats.loss.max.toFixed(2)} |`,
    `| First / last contact | ${stats.firstContact ? T(stats.firstContact) : '—'} / ${stats.lastContact ? T(stats.lastContact) : '—'} |`,
    `| Caller knew | ${stats.knewFields.map((k) => `${k.key} (${k.reports})`).join(', ') || '—'} |`,
    '',
  );
  L.push('## 时间线 Timeline', '', '| Contact time | Ref | Channel | Script | Loss | Reporter trust |', '|---|---|---|---|---|---|');
  for (const r of reports) {
    const d = JSON.parse(r.details) as { scriptTags: string[] };
    L.push(
      `| ${T(Number(r.contact_at))} | ${r.ref} | ${r.channel} | ${d.scriptTags.join(', ') || '—'} | ${(Number(r.loss_minor) / 100).toFixed(2)} ${r.currency} | ${r.trust} |`,
    );
  }
  L.push('', '## 资金流向 Money path', '', '| Paid at | Amount | Method | Payee | Account | Institution | Transaction ref |', '|---|---|---|---|---|---|---|');
  for (const p of payments) {
    L.push(
      `| ${T(Number(p.paid_at ?? p.contact_at))} | ${(Number(p.amount_minor) / 100).toFixed(2)} ${p.currency} | ${p.method} | ${md(p.payee_name ?? '—')} | ${md(p.payee_account ?? '—')} | ${md(p.institution ?? '—')} | ${md(p.txn_ref ?? '—')} |`,
    );
  }
  L.push('', '### Payees by amount received', '', '| Payee | Account | Amount | Payments |', '|---|---|---|---|');
  for (const p of stats.topPayees) L.push(`| ${md(p.payee)} | ${md(p.account ?? '—')} | ${p.amount.toFixed(2)} ${p.currency} | ${p.payments} |`);
  L.push('', '## 涉案线索 Indicators', '', '| Kind | Value | Reports | Risk |', '|---|---|---|---|');
  for (const i of stats.topIndicators) L.push(`| ${i.kind} | ${md(i.value)} | ${i.reports} | ${i.tier} |`);
  if (stats.merges.length) {
    L.push('', '## Case merges', '');
    for (const m of stats.merges) L.push(`- ${T(m.at)}: case ${m.from} joined through a shared ${m.via}`);
  }
  L.push('');
  return L.join('\n');
}
