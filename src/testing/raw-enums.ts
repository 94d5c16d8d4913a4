// The server's enum values that must never reach a zh-CN screen as they are (payment methods,
// script tags, indicator kinds, risk tiers, field names, workflow values…): the console shows
// each through the message catalogue. Browser and console tests scan screen text with these.
import { CHANNELS, EXPOSED, PAYMENT_METHODS, SCRIPT_TAGS } from '../reports/reports.schemas.ts';
import { RISK_TIERS } from '../reports/risk.ts';
import { CASE_PRIORITIES, CASE_RESOLUTIONS, CASE_STATUSES } from '../reports/workflow.model.ts';
import { ACCESS_FIELDS } from '../lib/fields.ts';

const INDICATOR_KINDS = ['phone', 'sms_sender', 'domain', 'url', 'payee_account', 'payee_name', 'merchant_id', 'social', 'app'];
const VERDICTS = ['attributed', 'inconclusive', 'consistent_with_account_takeover'];
const INCIDENT_STATES = ['open', 'contained', 'notified', 'closed'];

export const RAW_ENUMS = [
  ...new Set<string>([
    ...CHANNELS,
    ...EXPOSED,
    ...PAYMENT_METHODS,
    ...SCRIPT_TAGS,
    ...RISK_TIERS,
    ...CASE_PRIORITIES,
    ...CASE_RESOLUTIONS,
    ...CASE_STATUSES,
    ...ACCESS_FIELDS,
    ...INDICATOR_KINDS,
    ...VERDICTS,
    ...INCIDENT_STATES,
    // spellings with underscores seen on screens before (issue 22)
    ...PAYMENT_METHODS.map((m) => m.replace(/-/g, '_')),
    ...SCRIPT_TAGS.map((s) => s.replace(/-/g, ' ')),
  ]),
].sort((a, b) => b.length - a.length);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const PATTERN = new RegExp(`(?<![\\w-])(${RAW_ENUMS.map(escape).join('|')})(?![\\w-])`, 'g');

/** The raw enum values found in a screen's text (case-sensitive: "App" is a label, "app" a code). */
export function rawEnumsIn(text: string): string[] {
  return [...new Set([...text.matchAll(PATTERN)].map((m) => m[1]!))];
}
