import { describe, expect, it } from 'vitest';
import { dailySeries, indicatorGraph, indicatorsFromReports, suspectBars, weekFigures } from './charts.ts';

describe('chart data', () => {
  it('keeps the server ranking and caps the list', () => {
    const s = (id: string, covered: number, expectedCoverage: number, pValue: number) => ({
      principalId: id,
      status: 'not_significant' as const,
      round: 1,
      covered,
      tested: 12,
      missed: 12 - covered,
      expectedCoverage,
      pValue,
      adjustedPValue: pValue,
      baseRates: [],
      evidence: [],
    });
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
          { id: 'p1', kind: 'phone', value: '+862155550101', reportIds: ['rep_a', 'rep_b'] },
          { id: 'y1', kind: 'payee', value: '某某科技', reportIds: ['rep_b', 'rep_c'] },
        ],
      },
      (r) => r.toUpperCase(),
    );
    expect(
      g.nodes
        .filter((n) => n.category === 0)
        .map((n) => n.name)
        .sort(),
    ).toEqual(['REP_A', 'REP_B', 'REP_C']);
    expect(g.links).toHaveLength(4);
    expect(g.nodes.find((n) => n.id === 'i:y1')!.category).toBe(4);
  });
  it('fills days without reports with zero', () => {
    expect(
      dailySeries([
        { day: '2026-07-16', reports: 3 },
        { day: '2026-07-14', reports: 1 },
      ]),
    ).toEqual({ days: ['2026-07-14', '2026-07-15', '2026-07-16'], counts: [1, 0, 3] });
    expect(dailySeries([])).toEqual({ days: [], counts: [] });
  });
  it('groups the indicators of the reports into families and leaves official channels and unlinked values out', () => {
    const ind = (kind: string, value: string, official = false, unlinkedReason: string | null = null) => ({
      kind,
      value,
      linked: !unlinkedReason,
      official,
      unlinkedReason,
    });
    const g = indicatorsFromReports([
      {
        id: 'rep_a',
        indicators: [
          ind('phone', '+862155550101'),
          ind('payee_account', '6222000011112222'),
          ind('domain', 'shop.example', true),
          ind('merchant_id', '2088102177889901', false, 'bridge'),
        ],
      },
      { id: 'rep_b', indicators: [ind('phone', '+862155550101'), ind('sms_sender', '106900001111')] },
    ]);
    expect(g.map((x) => [x.kind, x.value, x.reportIds])).toEqual([
      ['phone', '+862155550101', ['rep_a', 'rep_b']],
      ['payee', '6222000011112222', ['rep_a']],
      ['sender', '106900001111', ['rep_b']],
    ]);
  });
  it('sums this week and last week from the per-day list', () => {
    const now = new Date('2026-07-16T09:00:00Z');
    const w = weekFigures(
      [
        { day: '2026-07-16', reports: 2, loss: 100 },
        { day: '2026-07-10', reports: 3, loss: 50 },
        { day: '2026-07-09', reports: 4, loss: 10 },
        { day: '2026-07-03', reports: 5, loss: 10 },
        { day: '2026-07-02', reports: 6, loss: 10 },
      ],
      now,
    );
    expect(w).toEqual({ thisWeek: 5, lastWeek: 9, lossThisWeek: 150 });
  });
});
