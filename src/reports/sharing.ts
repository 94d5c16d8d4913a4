// Sharing what a shop learned: CSV exports, a STIX 2.1 bundle per case, and a printable case
// file for the police. Exports carry indicators (the scammers' phones, links, accounts) and case
// figures; they never carry victims' names, phones or order ids.
import { createHash, randomUUID } from 'node:crypto';
import { maskToFields } from '../lib/fields.ts';
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
  let out = csvLine(['report_id', 'reference', 'case_id', 'trust', 'channel', 'contact_at', 'received_at', 'knew_fields', 'script_tags', 'loss', 'currency', 'phones', 'domains', 'payee_accounts', 'payee_names']);
  for (const r of rows) {
    const mine = inds.filter((i) => i.report_id === r.id && i.official === 0);
    const of = (k: string) => mine.filter((i) => i.kind === k).map((i) => i.value).join(' ');
    const d = JSON.parse(r.details) as { scriptTags: string[] };
    out += csvLine([
      r.id, r.ref, r.case_id, r.trust, r.channel, new Date(Number(r.contact_at)).toISOString(), new Date(Number(r.received_at)).toISOString(),
      maskToFields(r.knew_fields).join(' '), d.scriptTags.join(' '), (Number(r.loss_minor) / 100).toFixed(2), r.currency, of('phone'), of('domain'),
      of('payee_account'), of('payee_name'),
    ]);
  }
  return out;
}

export function casesCsv(stats: CaseStatsT[]): string {
  let out = csvLine(['case_id', 'reports', 'victims', 'loss_total', 'loss_median', 'loss_max', 'currency', 'first_contact', 'last_contact', 'top_payee', 'top_indicator']);
  for (const s of stats) {
    const top = s.topIndicators[0];
    out += csvLine([
      s.id, s.reports, s.victims, s.loss.total.toFixed(2), s.loss.median.toFixed(2), s.loss.max.toFixed(2), s.loss.currency, s.firstContact, s.lastContact,
      s.topPayees[0]?.payee ?? '', top ? `${top.kind}:${top.value}` : '',
    ]);
  }
  return out;
}

// ---- STIX 2.1 ----

const STIX_SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';
/** fanzha's extension definition for the two observables STIX 2.1 lacks (fixed id: it names a schema, not a case). */
export const FANZHA_EXTENSION_ID = 'extension-definition--5d6a3c9e-7f0b-4c1e-9a8d-2b6f4e1c3a77';
export const TLP_AMBER = {
  type: 'marking-definition', spec_version: '2.1', id: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  created: '2017-01-20T00:00:00.000Z', definition_type: 'tlp', name: 'TLP:AMBER', definition: { tlp: 'amber' },
};

function uuidv5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
/** Deterministic SCO id (STIX 2.1 §2.9): UUIDv5 over the id-contributing properties. */
const scoId = (type: string, props: Record<string, string>) => `${type}--${uuidv5(STIX_SCO_NAMESPACE, JSON.stringify(props))}`;

export interface StixOptions {
  producerName: string;
  /** Stable id of the producing identity (derived from the name when absent). */
  now?: Date;
}

export function caseStixBundle(stats: CaseStatsT, indicators: { kind: string; value: string }[], opts: StixOptions) {
  const ts = (opts.now ?? new Date()).toISOString();
  const identityId = `identity--${uuidv5(STIX_SCO_NAMESPACE, `fanzha-producer:${opts.producerName}`)}`;
  const identity = { type: 'identity', spec_version: '2.1', id: identityId, created: ts, modified: ts, name: opts.producerName, identity_class: 'organization' };
  const extension = {
    type: 'extension-definition', spec_version: '2.1', id: FANZHA_EXTENSION_ID, created: '2026-11-27T00:00:00.000Z', modified: '2026-11-27T00:00:00.000Z',
    created_by_ref: identityId, name: 'fanzha scam observables',
    description: 'Two cyber-observables STIX 2.1 lacks: x-fanzha-phone-number (E.164 or a national short number) and x-fanzha-bank-account (payee account that received scam money).',
    schema: 'https://fanzha.dev/stix/x-fanzha-observables-1.0.json', version: '1.0.0', extension_types: ['new-sco'],
  };
  const ext = { [FANZHA_EXTENSION_ID]: { extension_type: 'new-sco' } };
  const observables: Record<string, unknown>[] = [];
  for (const i of indicators) {
    if (i.kind === 'url') observables.push({ type: 'url', spec_version: '2.1', id: scoId('url', { value: i.value }), value: i.value });
    else if (i.kind === 'domain') observables.push({ type: 'domain-name', spec_version: '2.1', id: scoId('domain-name', { value: i.value }), value: i.value });
    else if (i.kind === 'phone') observables.push({ type: 'x-fanzha-phone-number', spec_version: '2.1', id: scoId('x-fanzha-phone-number', { value: i.value }), value: i.value, extensions: ext });
    else if (i.kind === 'payee_account') {
      const payee = stats.topPayees.find((p) => p.account === i.value);
      observables.push({
        type: 'x-fanzha-bank-account', spec_version: '2.1', id: scoId('x-fanzha-bank-account', { account_number: i.value }), account_number: i.value,
        ...(payee?.payee ? { account_holder: payee.payee } : {}), ...(payee?.institution ? { institution: payee.institution } : {}), extensions: ext,
      });
    }
  }
  for (const o of observables) o.object_marking_refs = [TLP_AMBER.id];
  const report = {
    type: 'report', spec_version: '2.1', id: `report--${uuidv5(STIX_SCO_NAMESPACE, `fanzha-case:${stats.id}`)}`, created: ts, modified: ts,
    created_by_ref: identityId, name: `Refund-scam case ${stats.id}`,
    description: `${stats.reports} reports, ${stats.victims} victims, ${stats.loss.total.toFixed(2)} ${stats.loss.currency} lost between ${stats.firstContact} and ${stats.lastContact}. Callers posed as customer service and knew: ${stats.knewFields.map((k) => k.key).join(', ') || 'unknown'}.`,
    report_types: ['campaign', 'observed-data'], published: ts, object_refs: observables.map((o) => o.id as string),
    object_marking_refs: [TLP_AMBER.id], labels: ['refund-scam'],
  };
  if (!report.object_refs.length) report.object_refs.push(identityId);
  return { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [TLP_AMBER, identity, extension, ...observables, report] };
}

// ---- Police case file ----

const md = (s: string) => s.replace(/[\\`*_{}[\]<>|#]/g, (c) => `\\${c}`);

export function caseFileMarkdown(stats: CaseStatsT, reports: { ref: string; contact_at: number; channel: string; loss_minor: number; currency: string; trust: string; details: string; knew_fields: number }[], payments: { contact_at: number; amount_minor: number; currency: string; method: string; payee_name: string | null; payee_account: string | null; institution: string | null; txn_ref: string | null; paid_at: number | null }[], producer: string): string {
  const L: string[] = [];
  L.push(`# 案件材料 Case file ${stats.id}`, '', `Prepared by ${md(producer)} with fanzha on ${new Date().toISOString()}. Victims' personal data is not included; the shop can provide it to the police on a formal request.`, '');
  L.push('## 概况 Summary', '', `| | |`, `|---|---|`, `| Reports | ${stats.reports} |`, `| Victims | ${stats.victims} |`, `| Total loss | ${stats.loss.total.toFixed(2)} ${stats.loss.currency} |`, `| Median / largest loss | ${stats.loss.median.toFixed(2)} / ${stats.loss.max.toFixed(2)} |`, `| First / last contact | ${stats.firstContact} / ${stats.lastContact} |`, `| Caller knew | ${stats.knewFields.map((k) => `${k.key} (${k.reports})`).join(', ') || '—'} |`, '');
  L.push('## 时间线 Timeline', '', '| Contact time (UTC) | Ref | Channel | Script | Loss | Reporter trust |', '|---|---|---|---|---|---|');
  for (const r of reports) {
    const d = JSON.parse(r.details) as { scriptTags: string[] };
    L.push(`| ${new Date(Number(r.contact_at)).toISOString()} | ${r.ref} | ${r.channel} | ${d.scriptTags.join(', ') || '—'} | ${(Number(r.loss_minor) / 100).toFixed(2)} ${r.currency} | ${r.trust} |`);
  }
  L.push('', '## 资金流向 Money path', '', '| Paid at | Amount | Method | Payee | Account | Institution | Transaction ref |', '|---|---|---|---|---|---|---|');
  for (const p of payments) {
    L.push(`| ${new Date(Number(p.paid_at ?? p.contact_at)).toISOString()} | ${(Number(p.amount_minor) / 100).toFixed(2)} ${p.currency} | ${p.method} | ${md(p.payee_name ?? '—')} | ${md(p.payee_account ?? '—')} | ${md(p.institution ?? '—')} | ${md(p.txn_ref ?? '—')} |`);
  }
  L.push('', '### Payees by amount received', '', '| Payee | Account | Amount | Payments |', '|---|---|---|---|');
  for (const p of stats.topPayees) L.push(`| ${md(p.payee)} | ${md(p.account ?? '—')} | ${p.amount.toFixed(2)} ${p.currency} | ${p.payments} |`);
  L.push('', '## 涉案线索 Indicators', '', '| Kind | Value | Reports | Risk |', '|---|---|---|---|');
  for (const i of stats.topIndicators) L.push(`| ${i.kind} | ${md(i.value)} | ${i.reports} | ${i.tier} |`);
  if (stats.merges.length) {
    L.push('', '## Case merges', '');
    for (const m of stats.merges) L.push(`- ${m.at}: case ${m.from} joined through a shared ${m.via}`);
  }
  L.push('');
  return L.join('\n');
}
