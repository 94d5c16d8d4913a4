// Normalised events cross the thread boundary as one flat array of column values: structured
// clone writes every property name of every object, which made the copy back to the writing
// thread cost about a third of what writing the rows did. Column order is COLUMNS' (events.store.ts).
import { COLUMNS } from '../events.store.ts';
import type { NormalizedEvent, StoredRows } from '../events.normalize.ts';

type Kind = StoredRows['kind'];
const TABLE = { customer: 'customers', principal: 'principals', order: 'orders', refund: 'refunds', login: 'logins' } as const;

function putRow(out: unknown[], cols: readonly string[], row: object) {
  const r = row as Record<string, unknown>;
  for (const c of cols) out.push(r[c] ?? null);
}

function getRow<T>(v: readonly unknown[], at: number, cols: readonly string[]): T {
  const o: Record<string, unknown> = {};
  for (let i = 0; i < cols.length; i++) o[cols[i]!] = v[at + i];
  return o as T;
}

export function packEvents(events: readonly NormalizedEvent[]): unknown[] {
  const out: unknown[] = [];
  for (const e of events) {
    const st = e.stored;
    out.push(st.kind, e.id, e.type, e.at, e.subject);
    if (st.kind === 'access') {
      out.push(st.rows.length, st.exportRow ? 1 : 0);
      if (st.exportRow) putRow(out, COLUMNS.exports, st.exportRow);
      for (const r of st.rows) putRow(out, COLUMNS.access_log, r);
    } else putRow(out, COLUMNS[TABLE[st.kind]], st.row);
  }
  return out;
}

export function unpackEvents(v: readonly unknown[]): NormalizedEvent[] {
  const out: NormalizedEvent[] = [];
  let i = 0;
  while (i < v.length) {
    const kind = v[i] as Kind;
    const e = { id: v[i + 1], type: v[i + 2], at: v[i + 3], subject: v[i + 4] } as NormalizedEvent;
    i += 5;
    if (kind === 'access') {
      const n = v[i] as number;
      const hasExport = v[i + 1] === 1;
      i += 2;
      const st: Extract<StoredRows, { kind: 'access' }> = { kind, rows: new Array(n) };
      if (hasExport) {
        st.exportRow = getRow(v, i, COLUMNS.exports);
        i += COLUMNS.exports.length;
      }
      for (let k = 0; k < n; k++, i += COLUMNS.access_log.length) st.rows[k] = getRow(v, i, COLUMNS.access_log);
      e.stored = st;
    } else {
      const cols = COLUMNS[TABLE[kind]];
      e.stored = { kind, row: getRow(v, i, cols) } as StoredRows;
      i += cols.length;
    }
    out.push(e);
  }
  return out;
}
