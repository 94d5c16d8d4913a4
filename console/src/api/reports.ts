// Scam reports, cases and statistics — the merged reports area (src/reports/reports.routes.ts and
// reports.schemas.ts). The enums below are the subset of the server's values the public form offers.
// Money: the reports API speaks major units (yuan) as numbers; the console formats minor units, so
// the screens multiply by 100 at the edge (toMinor).
import { api } from './http.ts';

export const CHANNELS = ['call', 'sms', 'qq', 'wechat', 'email', 'app', 'website'] as const;
export const KNEW_FIELDS = ['name', 'phone', 'address', 'items', 'price', 'placedAt', 'refund', 'orderNo'] as const;
export const SCRIPT_TAGS = ['refund-problem', 'compensation', 'order-stuck', 'membership-cancel', 'screen-share', 'other'] as const;
export const EXPOSED = ['card-number', 'card-password', 'id-number', 'sms-code', 'face-video', 'screen-share'] as const;
export const PAYMENT_METHODS = ['bank-transfer', 'alipay', 'wechat-pay', 'card', 'other'] as const;

export type Channel = (typeof CHANNELS)[number];
export type KnewField = (typeof KNEW_FIELDS)[number];
export type ScriptTag = (typeof SCRIPT_TAGS)[number];
export type Exposed = (typeof EXPOSED)[number];

export interface ReportPayment {
  amount: number;
  currency: string;
  method: string;
  payeeName?: string;
  payeeAccount?: string;
  institution?: string;
}

/** Body of POST /v1/reports (issue 5). */
export interface NewReport {
  /** Idempotency key chosen by the submitter. */
  clientId?: string;
  contactAt: string;
  channel: Channel;
  callerNumbers: string[];
  smsSender?: string;
  claimedIdentity?: string;
  knewFields: KnewField[];
  scriptTags: ScriptTag[];
  urls: string[];
  apps: string[];
  socialAccounts: { platform: string; handle: string }[];
  payments: ReportPayment[];
  exposed: Exposed[];
  narrative?: string;
}

/** POST /v1/reports: a public caller gets only a reference number and a message. */
export interface ReportAck {
  reference: string;
  message?: string;
  reportId?: string;
  caseId?: string;
}

export const submitReport = (r: NewReport) => api<ReportAck>('/v1/reports', { method: 'POST', body: r });

/** Major units (yuan) as the reports API sends them → minor units (fen) for formatMoney. */
export const toMinor = (major: number) => Math.round(major * 100);

export type RiskTier = 'high' | 'suspected' | 'possible' | 'none';

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

/** GET /v1/cases: one row per live (not merged) case. */
export interface CaseSummary {
  id: string;
  reports: number;
  createdAt: string;
  updatedAt: string;
}
export interface CaseFilter {
  minReports?: number;
  offset?: number;
}
export const CASES_PAGE = 50;
export const listCases = (f: CaseFilter = {}) => api<CaseSummary[]>('/v1/cases', { query: { limit: CASES_PAGE, ...f } });

export interface Counted {
  key: string;
  reports: number;
  loss: number;
}
/** GET /v1/cases/:id — case statistics (a merged case id answers for the case it joined). */
export interface CaseStats {
  id: string;
  reports: number;
  victims: number;
  loss: { currency: string; total: number; median: number; max: number };
  lossByCurrency: { currency: string; total: number }[];
  firstContact: string | null;
  lastContact: string | null;
  timeline: { day: string; reports: number; loss: number }[];
  byChannel: Counted[];
  byPaymentMethod: Counted[];
  byScript: Counted[];
  knewFields: Counted[];
  topIndicators: { kind: string; value: string; reports: number; tier: RiskTier }[];
  topPayees: { payee: string; account: string | null; institution: string | null; amount: number; payments: number; currency: string }[];
  merges: { from: string; via: string; at: string }[];
  /** Set when this case was split off another case (that one kept its id). */
  splitFrom: string | null;
  /** Splits this case took part in: a value found over-correlated stopped linking, the parts became cases. */
  splits: { from: string; into: string; via: string; viaValue: string; reason: string; reports: number; at: string }[];
  createdAt: string;
  updatedAt: string;
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

/** GET /v1/reports/:id — one report as analysts see it (the fields the console reads). */
export interface ReportView {
  id: string;
  reference: string;
  caseId: string;
  channel: string;
  contactAt: string;
  loss: number;
  currency: string;
  indicators: { kind: string; value: string; linked: boolean; official: boolean; unlinkedReason?: string | null }[];
}
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
