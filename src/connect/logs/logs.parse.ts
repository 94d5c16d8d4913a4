// Access log lines → requests. nginx lines are read with a pattern built from the `log_format`
// that wrote them (variables in quotes may hold spaces, the others may not); JSON lines by key.
export interface LogRequest {
  /** ISO 8601 with offset. */
  at: string;
  method: string;
  url: string;
  status: number;
  ip?: string;
  /** Every variable (nginx) or the whole object (JSON), for the principal lookup. */
  vars: Record<string, unknown>;
}

export const COMBINED = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"';

const MONTHS: Record<string, string> = {
  Jan: '01',
  Feb: '02',
  Mar: '03',
  Apr: '04',
  May: '05',
  Jun: '06',
  Jul: '07',
  Aug: '08',
  Sep: '09',
  Oct: '10',
  Nov: '11',
  Dec: '12',
};

/** nginx $time_local (10/Oct/2016:13:55:36 +0800) → ISO 8601. */
export function timeLocalToIso(s: string): string | undefined {
  const m = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2})$/.exec(s);
  if (!m || !MONTHS[m[2]!]) return undefined;
  return `${m[3]}-${MONTHS[m[2]!]}-${m[1]}T${m[4]}${m[5]}:${m[6]}`;
}

export function nginxParser(format: string): (line: string) => LogRequest | null {
  const names: string[] = [];
  let re = '';
  let quoted = false;
  for (let i = 0; i < format.length;) {
    const v = /^\$([a-z0-9_]+)/i.exec(format.slice(i));
    if (v) {
      names.push(v[1]!);
      const next = format[i + v[0].length];
      // a quoted value runs to the closing quote (nginx escapes quotes inside as \x22); a bracketed one to ]
      re += quoted ? '((?:[^"\\\\]|\\\\.)*)' : next === ']' ? '([^\\]]*)' : '(\\S*)';
      i += v[0].length;
      continue;
    }
    const ch = format[i]!;
    if (ch === '"') quoted = !quoted;
    re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    i++;
  }
  const pattern = new RegExp(`^${re}$`);
  return (line) => {
    const m = pattern.exec(line);
    if (!m) return null;
    const vars: Record<string, string> = {};
    names.forEach((n, i) => (vars[n] = m[i + 1]!));
    const [method, url] = (vars.request ?? '').split(' ');
    const at = vars.time_iso8601 ?? (vars.time_local ? timeLocalToIso(vars.time_local) : undefined);
    if (!method || !url || !at) return null;
    return { at, method, url, status: Number(vars.status ?? 200), ip: vars.remote_addr || undefined, vars };
  };
}

const pick = (o: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);

export function jsonParser(keys: { time?: string; method?: string; url?: string; status?: string; ip?: string } = {}): (line: string) => LogRequest | null {
  return (line) => {
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      return null;
    }
    if (!o || typeof o !== 'object') return null;
    const at = pick(o, keys.time ?? 'time');
    const method = pick(o, keys.method ?? 'method');
    const url = pick(o, keys.url ?? 'url');
    if (typeof at !== 'string' || typeof method !== 'string' || typeof url !== 'string') return null;
    const ip = pick(o, keys.ip ?? 'ip');
    return {
      at,
      method,
      url,
      status: Number(pick(o, keys.status ?? 'status') ?? 200),
      ip: typeof ip === 'string' ? ip : undefined,
      vars: o as Record<string, unknown>,
    };
  };
}

export const principalOf = (r: LogRequest, key: string): string | undefined => {
  const v = key.includes('.') ? pick(r.vars, key) : r.vars[key];
  const s = v === undefined || v === null ? '' : String(v);
  return s && s !== '-' ? s : undefined;
};
