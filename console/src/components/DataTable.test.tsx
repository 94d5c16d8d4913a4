import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { I18nProvider } from '../i18n/i18n.tsx';
import { DataTable } from './DataTable.tsx';

afterEach(cleanup);

type Row = { id: string; n: number };
const columns = [
  { header: 'ID', cell: (r: Row) => r.id, className: 'mono' },
  { header: 'N', cell: (r: Row) => r.n, num: true },
];

function renderTable(res: Parameters<typeof DataTable<{ items: Row[] }, Row>>[0]['res']) {
  return render(
    <I18nProvider lang="en">
      <DataTable
        res={res}
        rows={(d) => d.items}
        rowKey={(r) => r.id}
        rowClass={(r) => (r.n > 1 ? 'row-alert' : undefined)}
        columns={columns}
        footer={(_, rows) => <p>{rows.length} shown</p>}
      />
    </I18nProvider>,
  );
}

describe('<DataTable>', () => {
  it('renders the rows with column classes, row classes and the footer', () => {
    const { container } = renderTable({
      state: 'ok',
      data: {
        items: [
          { id: 'a', n: 1 },
          { id: 'b', n: 2 },
        ],
      },
    });
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['ID', 'N']);
    expect(screen.getAllByRole('columnheader')[1]!.className).toBe('num');
    const cells = container.querySelectorAll('tbody td');
    expect([...cells].map((c) => c.className)).toEqual(['mono', 'num', 'mono', 'num']);
    expect(container.querySelectorAll('tbody tr')[1]!.className).toBe('row-alert');
    expect(screen.getByText('2 shown')).toBeTruthy();
  });
  it('says "no data" for no rows (no table, no footer) and shows the other states', () => {
    const { container, rerender } = renderTable({ state: 'ok', data: { items: [] } });
    expect(screen.getByText('Nothing here yet')).toBeTruthy();
    expect(container.querySelector('table')).toBeNull();
    expect(screen.queryByText(/shown/)).toBeNull();
    rerender(
      <I18nProvider lang="en">
        <DataTable res={{ state: 'forbidden' }} rows={(d: { items: Row[] }) => d.items} rowKey={(r) => r.id} columns={columns} />
      </I18nProvider>,
    );
    expect(container.querySelector('.state-forbidden')).not.toBeNull();
  });
});
