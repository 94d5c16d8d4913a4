import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { I18nProvider } from '../i18n/i18n.tsx';
import { AppCtx } from '../lib/app-context.tsx';
import { Router } from '../lib/router.tsx';
import type { Features } from '../api/session.ts';
import { Overview } from './Overview.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const none: Features = {
  keys: true,
  reports: false,
  cases: false,
  reportStats: false,
  investigations: false,
  auditEntries: false,
  auditVerify: false,
  accessAlerts: false,
  canaries: false,
  exports: false,
  incidents: false,
  loginStats: false,
  check: false,
  linkCheck: false,
  officialChannels: false,
  settingsMasking: false,
  settingsTemplates: false,
  settingsHistory: false,
};

describe('<Overview>', () => {
  it('asks only the areas the server has, and marks the others "not available yet"', async () => {
    const urls: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      urls.push(url);
      // GET /v1/stats/reports: 37 reports in the last 7 days, 20 in the 7 before.
      const day = (ago: number) => new Date(Date.now() - ago * 86_400_000).toISOString().slice(0, 10);
      return Response.json({
        reports: 120,
        cases: 31,
        casesWithSeveralReports: 9,
        lossByCurrency: [
          { currency: 'USD', total: 10 },
          { currency: 'CNY', total: 98_245 },
        ],
        lastDays: [
          { day: day(0), reports: 30, loss: 1000 },
          { day: day(6), reports: 7, loss: 500.5 },
          { day: day(7), reports: 20, loss: 9 },
        ],
        byChannel: [],
        topIndicators: [],
        topPayees: [],
      });
    });
    render(
      <I18nProvider lang="en">
        <Router>
          <AppCtx.Provider value={{ session: { signedIn: true, role: 'analyst' }, features: { ...none, reportStats: true }, signOut: () => {} }}>
            <Overview />
          </AppCtx.Provider>
        </Router>
      </I18nProvider>,
    );
    await screen.findByText('37');
    expect(screen.getByText('+85 % vs last week')).toBeTruthy();
    expect(screen.getByText('31')).toBeTruthy();
    expect(screen.getByText('9 with several reports')).toBeTruthy();
    expect(screen.getByText('CN¥98,245')).toBeTruthy();
    expect(screen.getByText('CN¥1,500.50')).toBeTruthy();
    expect(urls).toEqual(['/v1/stats/reports']);
    // investigations, canary trips, access alerts, login status
    expect(screen.getAllByText('Not available yet')).toHaveLength(4);
    expect(screen.getByRole('link', { name: /Cases/ }).getAttribute('href')).toBe('/console/cases');
  });
});
