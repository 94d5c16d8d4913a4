// Number, money and time formatting for both languages. Money arrives in minor units (fen).
import type { Lang } from '../i18n/i18n.tsx';

export function formatNumber(n: number | null | undefined, lang: Lang): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return new Intl.NumberFormat(lang).format(n);
}

export function formatMoney(minor: number | null | undefined, currency: string, lang: Lang): string {
  if (minor === null || minor === undefined || !Number.isFinite(minor)) return '—';
  return new Intl.NumberFormat(lang, { style: 'currency', currency: currency || 'CNY', maximumFractionDigits: minor % 100 === 0 ? 0 : 2 }).format(minor / 100);
}

export function formatTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return new Intl.DateTimeFormat(lang, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(d);
}

/** "+12 %" / "−5 %" / "±0 %"; null when there is no base to compare with. */
export function formatDelta(current: number, previous: number): string | null {
  if (!previous) return null;
  const pct = Math.round(((current - previous) / previous) * 100);
  if (pct === 0) return '±0 %';
  return `${pct > 0 ? '+' : '−'}${Math.abs(pct)} %`;
}

/** A p-value given as log10 (no underflow): "10^-12.3" below 1e-4, else the plain number. */
export function formatLog10P(l: number): string {
  if (!Number.isFinite(l)) return l < 0 ? '0' : '—';
  if (l < -4) return `10^${l.toFixed(1)}`;
  return (10 ** l).toPrecision(2);
}

export function formatP(p: number): string {
  if (!Number.isFinite(p)) return '—';
  if (p < 1e-4) return p.toExponential(1);
  return p.toPrecision(2);
}
