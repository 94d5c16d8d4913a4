import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, fireEvent } from '@testing-library/react';
import { I18nProvider } from '../i18n/i18n.tsx';
import { AppCtx } from '../lib/app-context.tsx';
import { Router } from '../lib/router.tsx';
import type { Features } from '../api/session.ts';
import type { InvestigationResult } from '../api/investigations.ts';
import { InvestigationPage } from './Investigations.tsx';

// happy-dom has no canvas: the chart wrapper is replaced by its accessible summary.
vi.mock('../components/Chart.tsx', () => ({ Chart: ({ label }: { label: string }) => <div role="img" aria-label={label} /> }));

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

type Suspect = InvestigationResult['suspects'][number];
const suspect = (over: Partial<Suspect>): Suspect => ({
  principalId: 'p1',
  status: 'not_significant',
  round: 1,
  covered: 3,
  tested: 16,
  missed: 13,
  expectedCoverage: 2.1,
  baseRates: [],
  sampledBaseRates: false,
  readBurst: false,
  pValue: 0.3,
  adjustedPValue: 1,
  log10PValue: -0.5,
  log10AdjustedPValue: 0,
  selectionBiasToExplain: 1,
  biasGuarded: 5,
  selfControlled: { log10PValue: 0, inHazardWindow: 0, informative: 0, expected: 0 },
  timed: {
    log10PValue: 0,
    inHazardWindow: 0,
    informative: 0,
    expected: 0,
    biasTimed: 1,
    selectionBiasToExplain: 1,
    log10PValueMatched: 0,
    log10PValueStratum: null,
  },
  evidence: [],
  ...over,
});
const inv: InvestigationResult = {
  id: 'inv_1',
  createdAt: '2026-11-20T00:00:00.000Z',
  verdict: 'attributed',
  summary: 'Attributed to org "VendorX".',
  victims: { given: 16, used: 16, orderLevel: 16, canaries: 0, unresolved: [] },
  settings: {
    alpha: 0.001,
    windowDays: 60,
    minCovered: 3,
    maxRounds: 3,
    notExcludedCoverage: 0.9,
    hazardDays: 3,
    minSelectionBias: 5,
    minSelectionBiasAssigned: 2,
    minSelectionBiasTimed: 1,
    burstAlphaShare: 0.25,
  },
  population: [],
  familySize: 100,
  rounds: [],
  accountTakeover: { victimsWithPattern: 0, share: 0, customerIds: [] },
  durationMs: 5,
  alphaSpent: { alpha: 0.001, tests: 0.0009, baseRateSampling: 0.0001, readBursts: 0.000225 },
  readBursts: [{ principalId: 'seller-big', name: 'Big seller' }],
  suspects: [
    suspect({
      principalId: null,
      kind: 'org',
      name: 'VendorX',
      org: 'VendorX',
      status: 'attributed',
      covered: 16,
      adjustedPValue: 0,
      log10PValue: -412.3,
      log10AdjustedPValue: -409.1,
      selectionBiasToExplain: 41.7,
      biasGuarded: 2,
      members: [{ principalId: 'vx-1', covered: 2 }],
      memberIds: ['vx-1', 'vx-2'],
    }),
    suspect({
      principalId: 'seller-big',
      name: 'Big seller',
      status: 'associated',
      covered: 16,
      log10PValue: -9.7,
      log10AdjustedPValue: -2,
      selectionBiasToExplain: 3.2,
      biasGuarded: 5,
      readBurst: true,
    }),
  ],
  notExcluded: [
    {
      principalId: 'seller-big',
      name: 'Big seller',
      reason: 'associated',
      covered: 16,
      tested: 16,
      expectedCoverage: 4,
      selectionBiasToExplain: 3.2,
      decideWith: ['canary'],
    },
  ],
  atRisk: [],
  unexplainedVictims: 0,
  notes: [],
};

function page(lang: 'en' | 'zh-CN') {
  vi.stubGlobal('fetch', async () => Response.json(inv));
  return render(
    <I18nProvider lang={lang}>
      <Router>
        <AppCtx.Provider
          value={{ session: { signedIn: true, role: 'analyst' }, features: { investigations: true, incidents: true } as Features, signOut: () => {} }}
        >
          <InvestigationPage id="inv_1" />
        </AppCtx.Provider>
      </Router>
    </I18nProvider>,
  );
}

describe('investigation page', () => {
  it('shows log-space p-values, the reporting bias each suspect would need, groups and associated suspects', async () => {
    page('en');
    expect(await screen.findByText('10^-409.1')).toBeTruthy();
    expect(screen.getAllByText('would need reporters 42× likelier among the customers it read').length).toBeGreaterThan(0);
    expect(screen.getByText('would need reporters 3.2× likelier among the customers it read')).toBeTruthy();
    expect(screen.getAllByText('Associated, not attributed').length).toBeGreaterThan(0);
    expect(screen.getByText('Group')).toBeTruthy();
    expect(screen.getByText(/Members who read victims: vx-1 \(2\)/)).toBeTruthy();
    expect(screen.getByText(/0\.000100 on the sampling error/)).toBeTruthy();
    // the principal with a read burst is badged, and the share of α it got is said
    expect(screen.getByText('read burst')).toBeTruthy();
    expect(screen.getByText(/Read bursts, found in the access log before any report: Big seller .* They share 0\.000225 of α/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Big seller' }));
    expect(screen.getByText(/A canary customer exposed only to it can decide/)).toBeTruthy();
  });

  it('says the same in Chinese', async () => {
    page('zh-CN');
    expect((await screen.findAllByText('需要举报人在其读取过的客户中多 42 倍才能用偶然解释')).length).toBeGreaterThan(0);
    expect(screen.getAllByText('相关，未归因').length).toBeGreaterThan(0);
    expect(screen.getByText('读取突增')).toBeTruthy();
  });
});
