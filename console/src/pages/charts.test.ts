import { describe, expect, it } from 'vitest';
import { dailySeries, indicatorGraph, suspectBars } from './charts.ts';

describe('chart data', () => {
  it('keeps the server ranking and caps the list', () => {
    const s = (id: string, coverage: number, expected: number, pValue: number) => ({ principalId: id, coverage, victims: 12, expected, pValue, evidence: [] });
    const bars = suspectBars([s('agent-17', 11, 0.8, 1e-9), s('courier', 12, 9.9, 0.2), s('agent-3', 2, 0.7, 0.3), s('bi', 12, 11.6, 1)], 3);
    expect(bars.names).toEqual(['agent-17', 'courier', 'agent-3']);
    expect(bars.coverage).toEqual([11, 12, 2]);
    expect(bars.expected).toEqual([0.8, 9.9, 0.7]);
    expect(bars.victims).toBe(12);
  });
  it('builds a report ↔ indicator graph with shared reports once', () => {
    const g = indicatorGraph(
      {
        indicators: [
          { id: 'p1', kind: 'phone', value: '+862155550101', tier: 'high', reportIds: ['rep_a', 'rep_b'] },
          { id: 'y1', kind: 'payee', value: '某某科技', tier: 'high', reportIds: ['rep_b', 'rep_c'] },
        ],
      },
      (r) => r.toUpperCase(),
    );
    expect(g.nodes.filter((n) => n.category === 0).map((n) => n.name).sort()).toEqual(['REP_A', 'REP_B', 'REP_C']);
    expect(g.links).toHaveLength(4);
    expect(g.nodes.find((n) => n.id === 'i:y1')!.category).toBe(4);
  });
  it('fills days without reports with zero', () => {
    expect(dailySeries([{ day: '2026-07-16', reports: 3 }, { day: '2026-07-14', reports: 1 }])).toEqual({ days: ['2026-07-14', '2026-07-15', '2026-07-16'], counts: [1, 0, 3] });
    expect(dailySeries([])).toEqual({ days: [], counts: [] });
  });
});
