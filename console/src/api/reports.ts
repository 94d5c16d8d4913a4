// Scam reports, cases and statistics — issue 5 (reports area). Only POST /v1/reports is specified
// field by field in the issue; the read endpoints below are the console's assumed shapes, kept in
// this one module so wiring them to the merged area is a local change.
import { api } from './http.ts';

export const CHANNELS = ['call', 'sms', 'qq', 'wechat', 'email', 'app', 'website'] as const;
export const KNEW_FIELDS = ['name', 'phone', 'address', 'items', 'price', 'placedAt', 'refund', 'orderNo'] as const;
export const SCRIPT_TAGS = ['refund_problem', 'compensation', 'order_stuck', 'membership_cancel', 'screen_share', 'other'] as const;
export const EXPOSED = ['card_number', 'card_password', 'id_number', 'sms_code', 'face_video', 'screen_share'] as const;
export const PAYMENT_METHODS = ['bank_transfer', 'alipay', 'wechat_pay', 'card', 'other'] as const;

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
  contactAt: string;
  channel: Channel;
  callerNumbers: string[];
  smsSender?: string;
  claimedIdentity?: string;
  knewFields: KnewField[];
  scriptTags: ScriptTag[];
  urls: string[];
  apps: string[];
  socialAccounts: string[];
  payments: ReportPayment[];
  exposed: Exposed[];
  narrative?: string;
}

/** The public caller gets only a reference number. */
export interface ReportAck {
  reference?: string;
  reportId?: string;
  caseId?: string;
}

export const submitReport = (r: NewReport) => api<ReportAck>('/v1/reports', { method: 'POST', body: r });

export interface ReportStats {
  reportsThisWeek: number;
  reportsLastWeek: number;
  byDay: { day: string; reports: number }[];
  victims: number;
  totalLossMinor: number;
  medianLossMinor: number;
  currency: string;
}
export const reportStats = () => api<ReportStats>('/v1/reports/stats');

export type RiskTier = 'high' | 'suspected' | 'possible' | 'none';
export interface CaseSummary {
  id: string;
  status: 'open' | 'closed';
  title?: string;
  reports: number;
  victims: number;
  totalLossMinor: number;
  currency: string;
  firstAt: string;
  lastAt: string;
  topIndicator?: { kind: IndicatorKind; value: string };
}
export type IndicatorKind = 'phone' | 'domain' | 'url' | 'payee' | 'sender' | 'app' | 'social';
export interface Indicator {
  id: string;
  kind: IndicatorKind;
  value: string;
  tier: RiskTier;
  reportIds: string[];
}
export interface TimelineEntry {
  at: string;
  kind: 'contact' | 'loss' | 'report';
  reportId: string;
  channel?: Channel;
  amountMinor?: number;
}
export interface MoneyHop {
  payeeName?: string;
  payeeAccount?: string;
  institution?: string;
  amountMinor: number;
  payments: number;
}
export interface CaseDetail extends CaseSummary {
  stats: {
    medianLossMinor: number;
    maxLossMinor: number;
    byChannel: Record<string, number>;
    byMethod: Record<string, number>;
    byScript: Record<string, number>;
  };
  timeline: TimelineEntry[];
  indicators: Indicator[];
  moneyPath: MoneyHop[];
}

export interface CaseFilter {
  status?: string;
  q?: string;
  from?: string;
  to?: string;
  cursor?: string;
}
export const listCases = (f: CaseFilter) => api<{ items: CaseSummary[]; nextCursor?: string | null }>('/v1/cases', { query: { ...f, limit: 50 } });
export const getCase = (id: string) => api<CaseDetail>(`/v1/cases/${encodeURIComponent(id)}`);
/** Download links for the sharing formats of issue 5. */
export const caseExports = (id: string) => ({
  csv: `/v1/cases/${encodeURIComponent(id)}/export.csv`,
  stix: `/v1/cases/${encodeURIComponent(id)}/stix`,
  police: `/v1/cases/${encodeURIComponent(id)}/police-file`,
});
