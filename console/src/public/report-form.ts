// The scam-report form's state, per-step validation and the POST /v1/reports body. Pure
// functions so the rules are unit-tested; the form component only renders them.
import type { Channel, Exposed, KnewField, NewReport, ReportPayment, ScriptTag } from '../api/reports.ts';

export interface ReportDraft {
  contactAt: string; // datetime-local value
  channel: Channel | '';
  callerNumbers: string;
  smsSender: string;
  claimedIdentity: string;
  knewFields: KnewField[];
  scriptTags: ScriptTag[];
  urls: string;
  apps: string;
  lost: boolean | null;
  amount: string;
  method: string;
  payeeName: string;
  institution: string;
  exposed: Exposed[];
  narrative: string;
}

export const STEPS = 4;

export function emptyDraft(): ReportDraft {
  return {
    contactAt: '',
    channel: '',
    callerNumbers: '',
    smsSender: '',
    claimedIdentity: '',
    knewFields: [],
    scriptTags: [],
    urls: '',
    apps: '',
    lost: null,
    amount: '',
    method: 'bank-transfer',
    payeeName: '',
    institution: '',
    exposed: [],
    narrative: '',
  };
}

export type FieldError = 'required' | 'invalidAmount' | 'invalidTime';

/** Splits a free list on commas, Chinese commas, semicolons, spaces between items and newlines. */
export function splitList(s: string): string[] {
  return s
    .split(/[,，;；、\n]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}

/** Amount in yuan as typed (full-width digits accepted) → minor units, or null. */
export function parseAmount(s: string): number | null {
  const half = s.replace(/[０-９．]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[,，\s¥￥元]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(half)) return null;
  const minor = Math.round(Number(half) * 100);
  return minor > 0 && minor < 1e13 ? minor : null;
}

export function validateStep(step: number, d: ReportDraft, now = new Date()): Partial<Record<keyof ReportDraft, FieldError>> {
  const e: Partial<Record<keyof ReportDraft, FieldError>> = {};
  if (step === 1) {
    if (!d.contactAt) e.contactAt = 'required';
    else if (new Date(d.contactAt).getTime() > now.getTime() + 5 * 60_000) e.contactAt = 'invalidTime';
    if (!d.channel) e.channel = 'required';
  }
  if (step === 3) {
    if (d.lost === null) e.lost = 'required';
    if (d.lost && parseAmount(d.amount) === null) e.amount = 'invalidAmount';
  }
  return e;
}

/** An idempotency key for one report: a retry after a lost answer does not file it twice.
 * getRandomValues works on plain-HTTP pages too, where crypto.randomUUID is missing. */
export function newClientId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return 'web-' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export function toPayload(d: ReportDraft, clientId?: string): NewReport {
  const minor = d.lost ? parseAmount(d.amount) : null;
  const opt = (s: string) => (s.trim() ? s.trim() : undefined);
  return {
    ...(clientId ? { clientId } : {}),
    contactAt: new Date(d.contactAt).toISOString(),
    channel: d.channel as Channel,
    callerNumbers: splitList(d.callerNumbers),
    smsSender: opt(d.smsSender),
    claimedIdentity: opt(d.claimedIdentity),
    knewFields: d.knewFields,
    scriptTags: d.scriptTags,
    urls: splitList(d.urls),
    apps: splitList(d.apps),
    socialAccounts: [],
    payments:
      minor !== null
        ? [
            {
              amount: minor / 100,
              currency: 'CNY',
              method: d.method as ReportPayment['method'],
              ...(opt(d.payeeName) ? { payeeName: opt(d.payeeName) } : {}),
              ...(opt(d.institution) ? { institution: opt(d.institution) } : {}),
            },
          ]
        : [],
    exposed: d.exposed,
    narrative: opt(d.narrative),
  };
}

export function toggle<T>(list: T[], v: T): T[] {
  return list.includes(v) ? list.filter((x) => x !== v) : [...list, v];
}
