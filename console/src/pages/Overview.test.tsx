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
  keys: true, reports: false, cases: false, reportStats: false, investigations: false, auditEntries: false, auditVerify: false, accessAlerts: false,
  canaries: false, exports: false, incidents: false, loginStats: false, check: false, linkCheck: false, officialChannels: false,
};

describe('<Overview>', () => {
  it('asks only the areas the server has, and marks the others "not available yet"', async () => {
    const urls: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      urls.push(url);
      return Response.json({ reportsThisWeek: 37, reportsLastWeek: 20, byDay: [], victims: 31, totalLossMinor: 9_824_500, medianLossMinor: 340_000, currency: 'CNY' });
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
    expect(screen.getByText('CN¥98,245')).toBeTruthy();
    expect(urls).toEqual(['/v1/reports/stats']);
    // open cases, investigations, canary trips, access alerts, login status
    expect(screen.getAllByText('Not available yet')).toHaveLength(5);
    expect(screen.getByRole('link', { name: /Open cases/ }).getAttribute('href')).toBe('/console/cases');
  });
});
