import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { I18nProvider } from '../i18n/i18n.tsx';
import { AppCtx } from '../lib/app-context.tsx';
import { Router } from '../lib/router.tsx';
import type { Features, Role } from '../api/session.ts';
import type { IncidentDetail, NoticeProgress } from '../api/incidents.ts';
import { IncidentPage, PROGRESS_POLL_MS } from './IncidentPage.tsx';

// happy-dom has no canvas: the chart wrapper is replaced by its accessible summary.
vi.mock('../components/Chart.tsx', () => ({ Chart: ({ label }: { label: string }) => <div role="img" aria-label={label} /> }));

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const features = { incidents: true } as Features;
const base: IncidentDetail = {
  id: 'inc_9',
  title: 'Agent leak',
  state: 'contained',
  source: 'investigation',
  sourceRef: 'inv_1',
  principalIds: ['stf_7'],
  fields: ['name', 'phone'],
  from: '2026-11-01T00:00:00.000Z',
  to: '2026-11-20T00:00:00.000Z',
  affected: 214,
  counts: { byField: { name: 214, phone: 200 }, byProvince: { 广东省: 120, 浙江省: 94 } },
  containment: { keysRevoked: 2, frozenPrincipals: ['stf_7'], webhook: { status: 'failed', httpStatus: 502, at: Date.parse('2026-11-20T01:00:00Z') } },
  createdAt: '2026-11-20T00:00:00.000Z',
  updatedAt: '2026-11-20T01:00:00.000Z',
  events: [
    {
      kind: 'opened',
      fromState: null,
      toState: 'open',
      reason: null,
      detail: { affected: 190 },
      byKey: 'key_a',
      byName: 'risk team',
      byPrincipal: null,
      at: '2026-11-20T00:00:00.000Z',
    },
    {
      kind: 'scope_edited',
      fromState: null,
      toState: null,
      reason: 'include the export',
      detail: { before: { affected: 190 }, after: { affected: 214 } },
      byKey: 'key_a',
      byName: 'risk team',
      byPrincipal: null,
      at: '2026-11-20T00:30:00.000Z',
    },
    {
      kind: 'contained',
      fromState: 'open',
      toState: 'contained',
      reason: null,
      detail: { keysRevoked: 2 },
      byKey: 'key_a',
      byName: 'risk team',
      byPrincipal: null,
      at: '2026-11-20T01:00:00.000Z',
    },
  ],
};
const idle: NoticeProgress = {
  affected: 214,
  enqueued: 0,
  queued: 0,
  sent: 0,
  delivered: 0,
  failed: 0,
  suppressed: 0,
  unreachable: 0,
  retrying: 0,
  retries: 0,
  running: false,
};

type Handler = (body: unknown) => { status?: number; json: unknown };
/** A fake server: "METHOD /path" → handler; every call is recorded. */
function serve(routes: Record<string, Handler | Handler[]>) {
  const calls: { key: string; body: unknown }[] = [];
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    const key = `${init?.method ?? 'GET'} ${url.split('?')[0]}`;
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ key, body });
    let h = routes[key];
    if (Array.isArray(h)) h = h.length > 1 ? h.shift()! : h[0]!;
    if (!h) return Response.json({ type: 'about:blank', title: 'Not Found', status: 404, detail: `No endpoint ${key}` }, { status: 404 });
    const r = h(body);
    return Response.json(r.json, { status: r.status ?? 200, headers: r.status && r.status >= 400 ? { 'content-type': 'application/problem+json' } : {} });
  });
  return calls;
}

function page(role: Role) {
  return render(
    <I18nProvider lang="en">
      <Router>
        <AppCtx.Provider value={{ session: { signedIn: true, role }, features, signOut: () => {} }}>
          <IncidentPage id="inc_9" />
        </AppCtx.Provider>
      </Router>
    </I18nProvider>,
  );
}

describe('<IncidentPage>', () => {
  it('shows an analyst the scope, containment and transitions, and no admin-only action', async () => {
    serve({
      'GET /v1/incidents/inc_9': () => ({ json: base }),
      'GET /v1/incidents/inc_9/notify': () => ({ json: idle }),
      'GET /v1/incidents/inc_9/customers': () => ({ json: { customerIds: ['cu1', 'cu2'] } }),
    });
    page('analyst');
    await screen.findByRole('heading', { name: 'Agent leak', level: 1 });
    expect(screen.getByTestId('affected').textContent).toBe('214');
    const containment = screen.getByTestId('containment');
    expect(containment.textContent).toContain('Failed');
    expect(containment.textContent).toContain('HTTP 502');
    expect(screen.getByText('include the export')).toBeTruthy();
    expect(screen.getByText('affected 190 → 214')).toBeTruthy();
    expect(screen.getByText('Open → Contained')).toBeTruthy();
    // who acted: the key's name, not its id
    expect(screen.getAllByText('risk team').length).toBe(3);
    expect(screen.queryByText('key_a')).toBeNull();
    expect(screen.getByRole('img', { name: 'By field: Name 214, Phone 200' })).toBeTruthy();
    expect(screen.getByRole('img', { name: 'By province: 广东省 120, 浙江省 94' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Edit scope' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Notify affected customers' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Close incident' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Contain' })).toBeNull();
    expect(screen.getByText('Only an admin can notify customers and close the incident.')).toBeTruthy();
    await screen.findByText('cu2');
  });

  it('asks an admin to confirm notifying with the number of customers, then polls the progress until it settles', async () => {
    const running = { ...idle, enqueued: 214, queued: 100, delivered: 114, retrying: 3, retries: 5, running: true };
    const settled = { ...idle, enqueued: 214, delivered: 210, failed: 4, retries: 9 };
    const calls = serve({
      'GET /v1/incidents/inc_9': [
        () => ({ json: base }),
        () => ({
          json: {
            ...base,
            state: 'notified',
            events: [
              ...base.events,
              {
                kind: 'notified',
                fromState: 'contained',
                toState: 'notified',
                reason: null,
                detail: { enqueued: 214 },
                byKey: 'key_admin',
                byPrincipal: null,
                at: '2026-11-20T02:00:00.000Z',
              },
            ],
          },
        }),
      ],
      'GET /v1/incidents/inc_9/notify': [() => ({ json: idle }), () => ({ json: running }), () => ({ json: settled })],
      'POST /v1/incidents/inc_9/notify': () => ({ status: 202, json: running }),
      'GET /v1/incidents/inc_9/customers': () => ({ json: { customerIds: [] } }),
    });
    page('admin');
    fireEvent.click(await screen.findByRole('button', { name: 'Notify affected customers' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Notify the customers?' });
    expect(within(dialog).getByText('214 customers will each get one notice about the leak. Notices cannot be taken back.')).toBeTruthy();
    expect(calls.filter((c) => c.key === 'POST /v1/incidents/inc_9/notify')).toHaveLength(0);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Notify 214 customers' }));
    await screen.findByText('Sending: 53% handled (refreshing)');
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('53');
    expect(calls.filter((c) => c.key === 'POST /v1/incidents/inc_9/notify')).toHaveLength(1);
    await screen.findByText('100% handled', {}, { timeout: PROGRESS_POLL_MS + 2000 });
    const progress = screen.getByTestId('notice-progress').textContent!;
    expect(progress).toContain('Retries9');
    expect(screen.getByText('Notified', { selector: '.badge' })).toBeTruthy();
    // settled: no more polling
    const reads = calls.filter((c) => c.key === 'GET /v1/incidents/inc_9/notify').length;
    await new Promise((r) => setTimeout(r, PROGRESS_POLL_MS + 300));
    expect(calls.filter((c) => c.key === 'GET /v1/incidents/inc_9/notify').length).toBe(reads);
  }, 15_000);

  it('edits the scope only with a reason, sending only what changed', async () => {
    const calls = serve({
      'GET /v1/incidents/inc_9': () => ({ json: base }),
      'GET /v1/incidents/inc_9/notify': () => ({ json: idle }),
      'GET /v1/incidents/inc_9/customers': () => ({ json: { customerIds: [] } }),
      'PATCH /v1/incidents/inc_9/scope': () => ({ json: { ...base, fields: ['name', 'phone', 'items'] } }),
    });
    page('analyst');
    fireEvent.click(await screen.findByRole('button', { name: 'Edit scope' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Items' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save scope' }));
    expect(await screen.findByText('Say why the scope changes (at least 3 characters)')).toBeTruthy();
    expect(calls.some((c) => c.key.startsWith('PATCH'))).toBe(false);
    fireEvent.change(screen.getByLabelText('Reason for the change (required, recorded)'), { target: { value: 'items were read too' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save scope' }));
    await screen.findByText('Scope updated; affected customers recomputed.');
    expect(calls.find((c) => c.key === 'PATCH /v1/incidents/inc_9/scope')?.body).toEqual({ reason: 'items were read too', fields: ['name', 'phone', 'items'] });
  });

  it('shows a refused action as its problem: title, status and detail', async () => {
    serve({
      'GET /v1/incidents/inc_9': () => ({ json: { ...base, state: 'open', containment: null } }),
      'GET /v1/incidents/inc_9/customers': () => ({ json: { customerIds: [] } }),
      'POST /v1/incidents/inc_9/contain': () => ({
        status: 409,
        json: { type: 'https://fanzha.dev/problems/conflict', title: 'Conflict', status: 409, detail: 'the incident is closed' },
      }),
    });
    page('analyst');
    fireEvent.click(await screen.findByRole('button', { name: 'Contain' }));
    expect(screen.getByRole('alertdialog').textContent).toContain('stf_7');
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Contain' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Conflict (409)');
    expect(alert.textContent).toContain('the incident is closed');
    expect(screen.getByText('Not contained yet.')).toBeTruthy();
  });
});
