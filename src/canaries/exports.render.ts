// Turns export records into the file the recipient gets (CSV or JSON). Pure: no storage, no keys.
import { ACCESS_FIELDS, FIELD_BIT, type AccessField } from '../lib/fields.ts';

export type ExportFormat = 'csv' | 'json';

export interface ExportRecord {
  orderNo?: string;
  name?: string | null;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
  items?: string;
  price?: string;
  placedAt?: string;
  refund?: string;
}

export function columnsFor(mask: number): AccessField[] {
  return ACCESS_FIELDS.filter((f) => (mask & FIELD_BIT[f]) !== 0);
}

/** Shows a mainland number the way Chinese systems store it (11 digits); others stay E.164. */
export function displayPhone(e164: string): string {
  return e164.startsWith('+86') ? e164.slice(3) : e164;
}

export function formatAddress(a: { province?: string; city?: string; district?: string; line?: string } | null): string | null {
  if (!a) return null;
  return [a.province, a.city !== a.province ? a.city : '', a.district, a.line].filter(Boolean).join('');
}

export function formatItems(itemsJson: string): string {
  const items = JSON.parse(itemsJson) as { title: string; model?: string; color?: string; size?: string; quantity: number }[];
  return items.map((i) => [i.title, i.model, i.color, i.size].filter(Boolean).join(' ') + ` x${i.quantity}`).join('; ');
}

/** Beijing time, as a shop's export shows it. */
export function formatTime(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function csvCell(v: string | null | undefined): string {
  const s = v ?? '';
  // Quote anything with separators, quotes or line breaks; neutralise spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(s) && !/^[+-]?\d/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function renderExport(records: readonly ExportRecord[], mask: number, format: ExportFormat): { contentType: string; content: string } {
  const cols = columnsFor(mask);
  if (format === 'json') {
    const rows = records.map((r) => Object.fromEntries(cols.map((c) => [c, (r as Record<string, unknown>)[c] ?? null])));
    return { contentType: 'application/json', content: JSON.stringify(rows) };
  }
  const lines = [cols.join(',')];
  for (const r of records) lines.push(cols.map((c) => csvCell((r as Record<string, string | null | undefined>)[c])).join(','));
  return { contentType: 'text/csv; charset=utf-8', content: lines.join('\r\n') + '\r\n' };
}
