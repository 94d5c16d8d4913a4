// Scam reports, cases and statistics — the merged reports area (src/reports/reports.routes.ts and
// reports.schemas.ts). The enums below are the subset of the server's values the public form offers.
// Money: the reports API speaks major units (yuan) as numbers; the console formats minor units, so
// the screens multiply by 100 at the edge (toMinor).
import { api } from './http.ts';
import type { NewReport, ReportPayment, ReportAck, ReportView, CaseStats } from './contracts.ts';
export type { NewReport, ReportPayment, ReportAck, ReportView, CaseStats };

export const CHANNELS = ['call', 'sms', 'qq', 'wechat', 'email', 'app', 'website'] as const satisfies readonly NewReport['channel'][];
export const KNEW_FIELDS = ['name', 'phone', 'address', 'items', 'price', 'placedAt', 'refund', 'orderNo'] as const satisfies readonly NonNullable<
  NewReport['knewFields']
>[number][];
export const SCRIPT_TAGS = [
  'refund-problem',
  'compensation',
  'order-stuck',
  'membership-cancel',
  'screen-share',
  'other',
] as const satisfies readonly NonNullable<NewReport['scriptTags']>[number][];
export const EXPOSED = ['card-number', 'card-password', 'id-number', 'sms-code', 'face-video', 'screen-share'] as const satisfies readonly NonNullable<
  NewReport['exposed']
>[number][];
export const PAYMENT_METHODS = ['bank-transfer', 'alipay', 'wechat-pay', 'card', 'other'] as const satisfies readonly ReportPayment['method'][];

export type Channel = (typeof CHANNELS)[number];
export type KnewField = (typeof KNEW_FIELDS)[number];
export type ScriptTag = (typeof SCRIPT_TAGS)[number];
export type Exposed = (typeof EXPOSED)[number];

export const submitReport = (r: NewReport) => api<ReportAck>('/v1/reports', { method: 'POST', body: r });

/** Major units (yuan) as the reports API sends them → minor units (fen) for formatMoney. */
export const toMinor = (major: number) => Math.round(major * 100);

export type RiskTier = CaseStats['topIndicators'][number]['tier'];

/** GET /v1/stats/reports: totals, the last 30 days (days with reports only), top indicators and payees. */
export interface ReportsOverview {
  reports: number;
  cases: number;
  casesWithSeveralReports: number;
  lossByCurrency: { currency: string; total: number }[];
  lastDays: { day: string; reports: number; loss: number }[];
  byChannel: { key: string; reports: number }[];
  topIndicators: { kind: string; value: string; reports: number; tier: RiskTier }[];
  topPayees: { payee: string; account: string | null; currency: string; amount: number; payments: number }[];
}
export const reportStats = () => api<ReportsOverview>('/v1/stats/reports');

export interface Counted {
  key: string;
  reports: number;
  loss: number;
}
/** GET /v1/cases/:id/reports — the case's reports, oldest contact first. */
export interface CaseReport {
  id: string;
  reference: string;
  trust: string;
  channel: string;
  contactAt: string;
  loss: number;
  currency: string;
}
export const getCase = (id: string) => api<CaseStats>(`/v1/cases/${encodeURIComponent(id)}`);
export const caseReports = (id: string) => api<CaseReport[]>(`/v1/cases/${encodeURIComponent(id)}/reports`);
/** Download links for the sharing formats of the reports area (the CSV covers all cases). */
export const caseExports = (id: string) => ({
  csv: '/v1/exports/cases.csv',
  stix: `/v1/cases/${encodeURIComponent(id)}/stix`,
  police: `/v1/cases/${encodeURIComponent(id)}/casefile`,
});

export const getReport = (id: string) => api<ReportView>(`/v1/reports/${encodeURIComponent(id)}`);

/** The console's indicator families (graph categories) for the server's indicator kinds. */
export type IndicatorKind = 'phone' | 'domain' | 'url' | 'payee' | 'sender' | 'app' | 'social';
export function indicatorFamily(serverKind: string): IndicatorKind {
  switch (serverKind) {
    case 'sms_sender':
      return 'sender';
    case 'payee_account':
    case 'payee_name':
    case 'merchant_id':
      return 'payee';
    case 'phone':
    case 'domain':
    case 'url':
    case 'app':
    case 'social':
      return serverKind;
    default:
      return 'url';
  }
}
