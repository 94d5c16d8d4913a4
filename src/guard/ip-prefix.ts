// The network an address belongs to for counting: IPv4 /24, IPv6 /56 (a typical residential
// IPv6 delegation), so rotating within one customer's or one hoster's range still adds up.
import { isIPv4, isIPv6 } from 'node:net';

export function normalizeIp(ip: string): string | null {
  let s = ip.trim();
  if (s.startsWith('::')) {
    // an IPv4-mapped address counts as the IPv4 address
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(s);
    if (mapped) s = mapped[1]!;
  }
  if (isIPv4(s)) return s;
  if (isIPv6(s)) return expandV6(s).join(':');
  return null;
}

function expandV6(s: string): string[] {
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  let tail: string[] = [];
  // an embedded IPv4 tail (::1.2.3.4) becomes two groups
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const o = v4[1]!.split('.').map(Number);
    tail = [((o[0]! << 8) | o[1]!).toString(16), ((o[2]! << 8) | o[3]!).toString(16)];
    s = s.slice(0, -v4[1]!.length) + '0:0';
  }
  const [head, rest] = s.split('::');
  const h = head ? head.split(':') : [];
  const r = rest !== undefined ? (rest ? rest.split(':') : []) : [];
  const fill = rest !== undefined ? Array(8 - h.length - r.length).fill('0') : [];
  const groups = [...h, ...fill, ...r].map((g) =>
    parseInt(g || '0', 16)
      .toString(16)
      .padStart(4, '0'),
  );
  if (tail.length) groups.splice(6, 2, ...tail.map((g) => g.padStart(4, '0')));
  return groups;
}

/** "203.0.113.0/24" or "2001:0db8:0012:3400::/56"; null for something that is not an address. */
export function ipPrefix(ip: string): string | null {
  const n = normalizeIp(ip);
  return n && prefixOfNormalized(n);
}

/** `ipPrefix` of an address `normalizeIp` already answered. */
export function prefixOfNormalized(n: string): string {
  if (!n.includes(':')) return n.slice(0, n.lastIndexOf('.')) + '.0/24';
  const g = n.split(':');
  return `${g[0]}:${g[1]}:${g[2]}:${g[3]!.slice(0, 2)}00::/56`;
}

/**
 * The provider-sized network around a /24 or /56 prefix (IPv4 /16, IPv6 /32): roughly one ISP's
 * block or a carrier's NAT pool, an ASN-like axis of a customer's history without a GeoIP/ASN
 * database. A customer on a new phone or a new carrier address usually stays inside it.
 */
export function widePrefix(prefix: string): string {
  const slash = prefix.indexOf('/');
  if (prefix.endsWith('/24')) return prefix.slice(0, prefix.indexOf('.', prefix.indexOf('.') + 1)) + '/16';
  if (prefix.endsWith('/56')) return prefix.slice(0, 9) + '::/32';
  return slash >= 0 ? prefix.slice(0, slash) : prefix;
}
