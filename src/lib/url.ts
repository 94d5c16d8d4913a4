// URL and domain normalisation. Two reports of the same phishing link must produce the same
// string, however the victim typed or pasted it: full-width characters and dots, missing scheme,
// upper case, credentials, default ports, Unicode (IDN) host names. The registrable domain
// (eTLD+1 from the Public Suffix List, via tldts) is what cases and feeds link on.
import { domainToASCII, domainToUnicode } from 'node:url';
import { parse as parseDomain, getPublicSuffix } from 'tldts';

export interface NormalizedUrl {
  /** Canonical URL: lower-case scheme and host, A-label host, no credentials, no default port, no fragment. */
  url: string;
  /** A-label host name without a trailing dot. */
  host: string;
  /** eTLD+1 (A-label), or the host itself for IP addresses and hosts without a known suffix. */
  registrableDomain: string;
  isIp: boolean;
}

/** Full-width ASCII to half-width, ideographic/full-width dots to '.', ideographic space to ' '. */
export function toHalfWidth(s: string): string {
  return s
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/[\u3002\uFF61\uFF0E]/g, '.')
    .replace(/\u3000/g, ' ');
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Normalises a URL (or a bare host such as "jd.com.refund-kefu.cn/login"); null when it is not one. */
export function normalizeUrl(input: string): NormalizedUrl | null {
  let s = toHalfWidth(input)
    .trim()
    .replace(/[\u200B-\u200D\uFEFF]/g, '');
  if (!s || /\s/.test(s)) return null;
  // "hxxp://" and "[.]" are how analysts defang links; victims paste them back.
  s = s.replace(/^hxxp(s?):/i, 'http$1:').replace(/\[\.\]|\(\.\)|\{\.\}/g, '.');
  if (!SCHEME.test(s)) s = 'http://' + s.replace(/^\/+/, '');
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  u.username = '';
  u.password = '';
  u.hash = '';
  const host = u.hostname.replace(/\.$/, '');
  if (!host) return null;
  if (host !== u.hostname) u.hostname = host;
  const info = parseDomain(host, { allowPrivateDomains: false });
  const isIp = Boolean(info.isIp);
  if (!isIp && !/^[a-z0-9.-]+$/.test(host)) return null;
  if (!isIp && !host.includes('.')) return null;
  const registrableDomain = isIp ? host : (info.domain ?? host);
  return { url: u.toString(), host, registrableDomain, isIp };
}

/** Normalises a bare domain (IDN to A-label, lower case, no trailing dot); null when invalid. */
export function normalizeDomain(input: string): { host: string; registrableDomain: string } | null {
  const s = toHalfWidth(input).trim().replace(/\.$/, '');
  if (!s || /[\s/:@?#]/.test(s)) {
    const n = normalizeUrl(s);
    return n && !n.isIp ? { host: n.host, registrableDomain: n.registrableDomain } : null;
  }
  const ascii = domainToASCII(s);
  if (!ascii || !ascii.includes('.') || !/^[a-z0-9.-]+$/.test(ascii)) return null;
  const info = parseDomain(ascii);
  if (info.isIp) return null;
  return { host: ascii, registrableDomain: info.domain ?? ascii };
}

export function toUnicodeHost(host: string): string {
  return domainToUnicode(host) || host;
}

/** The public suffix of an A-label host ("com.cn"), or null. */
export function publicSuffix(host: string): string | null {
  return getPublicSuffix(host) ?? null;
}
