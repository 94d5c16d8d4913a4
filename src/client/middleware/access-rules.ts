// The shop's declaration of which of its staff-tool routes read which customer/order fields:
//   { method: 'GET', path: '/admin/orders/:orderId', fields: ['name', 'phone', 'address'], orderId: 'orderId' }
// Patterns are compiled once; matching a request is one regular expression per rule, no framework
// router involved (the middleware runs before the app's own routing fills req.params).
import type { FanzhaEvent } from '../types.ts';

type DataAccessed = Extract<FanzhaEvent, { type: 'data.accessed' }>;
export type AccessField = DataAccessed['fields'][number];

export interface AccessRule {
  /** HTTP method (default GET). */
  method?: string;
  /** Path pattern: literal segments, `:name` parameters, a trailing `*`. */
  path: string;
  fields: AccessField[];
  /** Where the customer id comes from: a path parameter's name, or a function of the parameters. */
  customerId?: string | ((params: Record<string, string>) => string | undefined);
  orderId?: string | ((params: Record<string, string>) => string | undefined);
  /** Recorded as the purpose (no personal data). */
  purpose?: string;
}

export interface CompiledRule {
  rule: AccessRule;
  method: string;
  re: RegExp;
  names: string[];
}

export interface AccessMatch {
  rule: AccessRule;
  params: Record<string, string>;
}

export function compileRules(rules: readonly AccessRule[]): CompiledRule[] {
  return rules.map((rule) => {
    if (!rule.customerId && !rule.orderId) throw new Error(`access rule ${rule.path}: name customerId or orderId`);
    if (!rule.fields.length) throw new Error(`access rule ${rule.path}: name the fields it reads`);
    const names: string[] = [];
    const body = rule.path
      .split('/')
      .map((seg) => {
        if (seg === '*') return '.*';
        if (seg.startsWith(':')) return (names.push(seg.slice(1)), '([^/]+)');
        return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    return { rule, method: (rule.method ?? 'GET').toUpperCase(), re: new RegExp(`^${body}/?$`), names };
  });
}

/** The first rule matching the request, with its decoded path parameters; null when none does. */
export function matchRule(rules: readonly CompiledRule[], method: string, url: string): AccessMatch | null {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  for (const c of rules) {
    if (c.method !== method) continue;
    const m = c.re.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    c.names.forEach((n, i) => {
      try {
        params[n] = decodeURIComponent(m[i + 1]!);
      } catch {
        params[n] = m[i + 1]!;
      }
    });
    return { rule: c.rule, params };
  }
  return null;
}

export function idOf(from: AccessRule['customerId'], params: Record<string, string>): string | undefined {
  if (!from) return undefined;
  return typeof from === 'function' ? from(params) : params[from];
}
