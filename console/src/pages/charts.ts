// Chart data built from API results: pure functions, unit-tested, no ECharts import.
import { indicatorFamily, type IndicatorKind, type ReportView } from '../api/reports.ts';
import { principalLabel, type Suspect } from '../api/investigations.ts';

/** The top suspects as coverage-vs-expected bars, in the server's ranking (the table's order too). */
export function suspectBars(suspects: Suspect[], limit = 10) {
  const top = suspects.slice(0, limit);
  return {
    names: top.map(principalLabel),
    coverage: top.map((s) => s.covered),
    expected: top.map((s) => Math.round(s.expectedCoverage * 10) / 10),
    victims: top[0]?.tested ?? 0,
  };
}

export interface GraphNode {
  id: string;
  name: string;
  category: number;
  symbolSize: number;
}
export interface GraphLink {
  source: string;
  target: string;
}
/** One distinct colour per node category, in GRAPH_CATEGORIES order. */
export const GRAPH_COLORS = ['#94a3b8', '#c2410c', '#0f766e', '#2563eb', '#7c3aed', '#be123c', '#a16207', '#0e7490'];
export const GRAPH_CATEGORIES: ('report' | IndicatorKind)[] = ['report', 'phone', 'domain', 'url', 'payee', 'sender', 'app', 'social'];

export interface GraphIndicator {
  id: string;
  kind: IndicatorKind;
  value: string;
  reportIds: string[];
}

/** The case's indicators with the reports naming each, from the reports' own indicator lists
 * (official channels are left out: they are the shop's, not the scammer's). */
export function indicatorsFromReports(reports: Pick<ReportView, 'id' | 'indicators'>[]): GraphIndicator[] {
  const byKey = new Map<string, GraphIndicator>();
  for (const r of reports) {
    for (const ind of r.indicators) {
      if (ind.official) continue;
      const id = `${ind.kind}:${ind.value}`;
      const g = byKey.get(id) ?? { id, kind: indicatorFamily(ind.kind), value: ind.value, reportIds: [] };
      if (!g.reportIds.includes(r.id)) g.reportIds.push(r.id);
      byKey.set(id, g);
    }
  }
  return [...byKey.values()];
}

/** Reports ↔ indicators as a bipartite graph; an indicator shared by more reports is drawn larger. */
export function indicatorGraph(c: { indicators: GraphIndicator[] }, reportLabel: (id: string) => string) {
  const nodes = new Map<string, GraphNode>();
  const links: GraphLink[] = [];
  for (const ind of c.indicators) {
    const id = `i:${ind.id}`;
    nodes.set(id, { id, name: ind.value, category: Math.max(0, GRAPH_CATEGORIES.indexOf(ind.kind)), symbolSize: 12 + Math.min(28, ind.reportIds.length * 4) });
    for (const r of ind.reportIds) {
      const rid = `r:${r}`;
      if (!nodes.has(rid)) nodes.set(rid, { id: rid, name: reportLabel(r), category: 0, symbolSize: 10 });
      links.push({ source: rid, target: id });
    }
  }
  return { nodes: [...nodes.values()], links };
}

/** Reports per day as a continuous series (days without reports count as zero). */
export function dailySeries(byDay: { day: string; reports: number }[]) {
  if (byDay.length === 0) return { days: [] as string[], counts: [] as number[] };
  const sorted = [...byDay].sort((a, b) => a.day.localeCompare(b.day));
  const have = new Map(sorted.map((d) => [d.day, d.reports]));
  const days: string[] = [];
  const counts: number[] = [];
  for (let t = Date.parse(sorted[0]!.day + 'T00:00:00Z'); t <= Date.parse(sorted.at(-1)!.day + 'T00:00:00Z'); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    days.push(day);
    counts.push(have.get(day) ?? 0);
  }
  return { days, counts };
}

/** Reports and loss in the 7 days ending today (UTC days, as the server groups them) and the 7
 * before, from the overview's per-day list (days without reports are absent). */
export function weekFigures(lastDays: { day: string; reports: number; loss: number }[], now = new Date()) {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const out = { thisWeek: 0, lastWeek: 0, lossThisWeek: 0 };
  for (const d of lastDays) {
    const age = Math.round((today - Date.parse(d.day + 'T00:00:00Z')) / 86_400_000);
    if (age >= 0 && age < 7) {
      out.thisWeek += d.reports;
      out.lossThisWeek += d.loss;
    } else if (age >= 7 && age < 14) out.lastWeek += d.reports;
  }
  return out;
}
