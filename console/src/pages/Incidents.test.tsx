import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { I18nProvider } from '../i18n/i18n.tsx';
import { AppCtx } from '../lib/app-context.tsx';
import { Router, useRouter } from '../lib/router.tsx';
import type { Features } from '../api/session.ts';
import { Incidents } from './Incidents.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function Where() {
  return <output data-testid="path">{useRouter().path}</output>;
}

describe('<Incidents> new incident by hand', () => {
  it('validates the form, posts the scope and opens the new incident', async () => {
    const posts: unknown[] = [];
    vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
      if (init?.method === 'POST') {
        posts.push(JSON.parse(String(init.body)));
        return Response.json({ id: 'inc_new' }, { status: 201 });
      }
      expect(url).toBe('/v1/incidents?limit=50&sort=created&offset=0');
      return Response.json([]);
    });
    history.replaceState(null, '', '/console/incidents');
    render(
      <I18nProvider lang="en">
        <Router>
          <AppCtx.Provider value={{ session: { signedIn: true, role: 'analyst' }, features: { incidents: true } as Features, signOut: () => {} }}>
            <Incidents />
            <Where />
          </AppCtx.Provider>
        </Router>
      </I18nProvider>,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'New incident by hand' }));
    fireEvent.click(screen.getByRole('button', { name: 'Open incident' }));
    expect(screen.getAllByText('Please fill this in')).toHaveLength(3); // title, principals, fields
    expect(screen.getByLabelText('Title').getAttribute('aria-invalid')).toBe('true');
    expect(posts).toHaveLength(0);

    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Courier export found online' } });
    fireEvent.change(screen.getByLabelText('Principal ids'), { target: { value: 'courier_sf, api_7' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Phone' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Address' }));
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-11-01T00:00' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-10-01T00:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Open incident' }));
    expect(screen.getByText('"From" is after "To"')).toBeTruthy();
    expect(posts).toHaveLength(0);

    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-11-20T12:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Open incident' }));
    await screen.findByText('/incidents/inc_new');
    expect(posts).toEqual([
      {
        title: 'Courier export found online',
        principalIds: ['courier_sf', 'api_7'],
        fields: ['phone', 'address'],
        from: new Date('2026-11-01T00:00').toISOString(),
        to: new Date('2026-11-20T12:00').toISOString(),
      },
    ]);
  });
});
