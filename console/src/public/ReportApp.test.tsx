import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nProvider } from '../i18n/i18n.tsx';
import { ReportApp } from './ReportApp.tsx';
import { ResourceView } from '../components/ui.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function stubServer(reports: boolean, onReport?: (body: unknown) => Response) {
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    if (url.startsWith('/v1/console/features')) return Response.json({ features: { reports } });
    if (url === '/v1/reports' && onReport) return onReport(JSON.parse(String(init.body)));
    return Response.json({ type: 'x/not-found', title: 'Not found', status: 404, detail: `No endpoint ${init.method} ${url}.` }, { status: 404 });
  });
}

describe('<ReportApp>', () => {
  it('walks the steps, blocks on missing answers, and acknowledges without revealing anything', async () => {
    let sent: Record<string, unknown> | null = null;
    stubServer(true, (body) => {
      sent = body as Record<string, unknown>;
      return Response.json({ reference: 'R-7K2M' }, { status: 202 });
    });
    const { container } = render(
      <I18nProvider lang="en">
        <ReportApp />
      </I18nProvider>,
    );
    expect(screen.getByRole('note').textContent).toMatch(/Never type your card number/);
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(screen.getAllByText('Required')).toHaveLength(2);
    fireEvent.change(container.querySelector('input[name="contactAt"]')!, { target: { value: '2026-07-15T10:30' } });
    fireEvent.click(screen.getByLabelText('Phone call'));
    fireEvent.change(container.querySelector('input[name="callerNumbers"]')!, { target: { value: '021-5555-0101' } });
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    fireEvent.click(screen.getByLabelText('Refund in progress'));
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    fireEvent.click(screen.getByLabelText('Yes'));
    fireEvent.change(container.querySelector('input[name="amount"]')!, { target: { value: '2089' } });
    fireEvent.click(screen.getByLabelText('SMS code'));
    expect(screen.getByRole('alert').textContent).toMatch(/freeze the card/);
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect((screen.getByRole('button', { name: 'Send report' }) as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByRole('button', { name: 'Send report' }));
    await screen.findByText('Report received');
    expect(screen.getByText('Reference: R-7K2M')).toBeTruthy();
    expect(sent!.callerNumbers).toEqual(['021-5555-0101']);
    expect(sent!.knewFields).toEqual(['refund']);
    expect(sent!.exposed).toEqual(['sms-code']);
    expect(sent!.payments).toEqual([{ amount: 2089, currency: 'CNY', method: 'bank-transfer' }]);
  });

  it('says reporting is not open yet when the server has no reports area', async () => {
    stubServer(false);
    render(
      <I18nProvider lang="en">
        <ReportApp />
      </I18nProvider>,
    );
    await screen.findByText(/Reporting is not open yet/);
  });
});

describe('<ResourceView>', () => {
  it('shows "not available yet" for an absent area and the data otherwise', () => {
    const { rerender } = render(
      <I18nProvider lang="en">
        <ResourceView res={{ state: 'unavailable' }}>{() => 'data'}</ResourceView>
      </I18nProvider>,
    );
    expect(screen.getByText('Not available yet')).toBeTruthy();
    rerender(
      <I18nProvider lang="en">
        <ResourceView res={{ state: 'ok', data: 3 }}>{(n) => `n=${n}`}</ResourceView>
      </I18nProvider>,
    );
    expect(screen.getByText('n=3')).toBeTruthy();
  });
});
