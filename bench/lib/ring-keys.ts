// Turns a generated report into the link keys the service would derive: the real normalisers,
// link scrubbing and the payment-institution list (or not, for the old rule's baseline).
import { normalizeReportedPhone, normalizeUrl, normalizeAccount, normalizeCompany, normalizeMerchantId } from '../../src/reports/normalize.ts';
import { scrubUrl } from '../../src/reports/url-scrub.ts';
import { institutionMatcher, BUILTIN_INSTITUTIONS } from '../../src/reports/institutions.ts';
import type { RawReport } from './scam-rings.ts';

const institution = institutionMatcher(BUILTIN_INSTITUTIONS);

export function linkKeys(r: RawReport, current: boolean): string[] {
  const out: string[] = [];
  for (const p of r.callerNumbers) {
    const v = normalizeReportedPhone(p);
    if (v) out.push(`phone\u0000${v}`);
  }
  for (const u of r.urls) {
    const n = normalizeUrl(current ? scrubUrl(u) : u);
    if (n) out.push(`url\u0000${n.url}`, `domain\u0000${n.registrableDomain}`);
  }
  for (const p of r.payments) {
    const acct = p.payeeAccount !== undefined ? normalizeAccount(p.payeeAccount) : null;
    if (acct) out.push(`payee_account\u0000${acct}`);
    const name = p.payeeName !== undefined ? normalizeCompany(p.payeeName) : null;
    if (name && !(current && institution(name))) out.push(`payee_name\u0000${name}`);
    const mid = p.merchantId !== undefined ? normalizeMerchantId(p.merchantId) : null;
    if (mid) out.push(`merchant_id\u0000${mid}`);
  }
  return [...new Set(out)];
}
