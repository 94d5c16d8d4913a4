// The rules file of `fanzha import-logs`: how the staff console's access log says who read what.
// Each rule maps a URL pattern (`/admin/orders/:orderId`, query parameters too) to the customer or
// order it shows and the fields on that page; `principal` names the log field (nginx variable or
// JSON key) holding the signed-in staff member. docs/integration.md has a worked example.
import { readFileSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { ACCESS_FIELDS } from '../../lib/fields.ts';
import { parseJsonFile } from '../connect.json-file.ts';

const Field = Type.Union(ACCESS_FIELDS.map((f) => Type.Literal(f)));
const Target = Type.Union([Type.Literal('customerId'), Type.Literal('orderId')]);

const Rule = Type.Object(
  {
    /** HTTP method (default any). */
    method: Type.Optional(Type.String({ minLength: 1, maxLength: 10 })),
    /** Path with `:customerId` / `:orderId` segments, `*` for any one segment. */
    path: Type.String({ minLength: 1, pattern: '^/' }),
    /** Query parameter → what it names, e.g. {"cid": "customerId"}. */
    query: Type.Optional(Type.Record(Type.String({ minLength: 1 }), Target)),
    fields: Type.Array(Field, { minItems: 1 }),
    purpose: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const RulesSchema = Type.Object(
  {
    /** nginx `log_format` of the file (default: combined). */
    logFormat: Type.Optional(Type.String({ minLength: 1 })),
    /** For --format json: the keys holding each part of a request (dots reach into objects). */
    json: Type.Optional(
      Type.Object(
        {
          time: Type.Optional(Type.String()),
          method: Type.Optional(Type.String()),
          url: Type.Optional(Type.String()),
          status: Type.Optional(Type.String()),
          ip: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
    /** The nginx variable (without $: remote_user, http_x_staff_id) or JSON key naming the staff principal. */
    principal: Type.String({ minLength: 1 }),
    /** Only these statuses record a read (default 200–299: a 403 or 404 showed nothing). */
    statuses: Type.Optional(Type.Array(Type.Integer({ minimum: 100, maximum: 599 }), { minItems: 1 })),
    channel: Type.Optional(Type.Union([Type.Literal('console'), Type.Literal('api'), Type.Literal('export'), Type.Literal('batch')])),
    rules: Type.Array(Rule, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type LogRules = Static<typeof RulesSchema>;
export type LogRule = Static<typeof Rule>;

export interface Match {
  rule: LogRule;
  customerId?: string;
  orderId?: string;
}

interface Compiled {
  rule: LogRule;
  re: RegExp;
  names: string[];
}

export class RuleSet {
  private readonly compiled: Compiled[];
  constructor(readonly rules: LogRules) {
    this.compiled = rules.rules.map((rule) => {
      const names: string[] = [];
      const body = rule.path
        .replace(/\/+$/, '')
        .split('/')
        .map((seg) => {
          if (seg === '*') return '[^/]+';
          const p = /^:(customerId|orderId)$/.exec(seg);
          if (p) {
            names.push(p[1]!);
            return '([^/]+)';
          }
          return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        })
        .join('/');
      return { rule, re: new RegExp(`^${body}/?$`), names };
    });
  }

  /** The first rule matching the request, if the request names a customer or an order through it. */
  match(method: string, url: string): Match | null {
    let u: URL;
    try {
      u = new URL(url, 'http://x');
    } catch {
      return null;
    }
    for (const c of this.compiled) {
      if (c.rule.method && c.rule.method.toUpperCase() !== method.toUpperCase()) continue;
      const m = c.re.exec(u.pathname);
      if (!m) continue;
      const out: Match = { rule: c.rule };
      c.names.forEach((n, i) => (out[n as 'customerId' | 'orderId'] = safeDecode(m[i + 1]!)));
      for (const [param, target] of Object.entries(c.rule.query ?? {})) {
        const v = u.searchParams.get(param);
        if (v) out[target] = v;
      }
      // the first rule whose method and path match decides: a page without an id showed no one
      return out.customerId || out.orderId ? out : null;
    }
    return null;
  }
}

const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

export const parseRules = (text: string): LogRules => parseJsonFile(text, RulesSchema, 'rules file');

export const loadRules = (file: string) => parseRules(readFileSync(file, 'utf8'));
