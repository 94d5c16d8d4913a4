// The list screens' table: a resource's non-data states (ResourceView), "no data" when there are
// no rows, else a table built from column definitions. `Table` is the bare table for data at hand.
import type { ReactNode } from 'react';
import type { Resource } from '../lib/useResource.ts';
import { Empty, ResourceView } from './ui.tsx';

export interface Column<R> {
  /** Header content; a column of controls may give an sr-only label. */
  header: ReactNode;
  cell: (row: R) => ReactNode;
  /** Right-aligned figures (header and cells). */
  num?: boolean;
  /** Extra class of the cells (e.g. "mono"). */
  className?: string;
}

export interface TableProps<R> {
  columns: Column<R>[];
  rows: readonly R[];
  rowKey: (row: R, index: number) => string | number;
  rowClass?: (row: R) => string | undefined;
  caption?: ReactNode;
}

const cls = (...xs: (string | false | undefined)[]) => xs.filter(Boolean).join(' ') || undefined;

export function Table<R>({ columns, rows, rowKey, rowClass, caption }: TableProps<R>) {
  return (
    <table className="table">
      {caption && <caption className="muted">{caption}</caption>}
      <thead>
        <tr>
          {columns.map((c, i) => (
            <th key={i} scope="col" className={cls(c.num && 'num')}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={rowKey(r, i)} className={rowClass?.(r)}>
            {columns.map((c, j) => (
              <td key={j} className={cls(c.num && 'num', c.className)} data-label={typeof c.header === 'string' ? c.header : undefined}>
                {c.cell(r)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface DataTableProps<T, R> extends Omit<TableProps<R>, 'rows'> {
  res: Resource<T> & { reload?(): void };
  /** The rows of the loaded data. */
  rows: (data: T) => readonly R[];
  compact?: boolean;
  /** Shown under a non-empty table (a "more" button). */
  footer?: (data: T, rows: readonly R[]) => ReactNode;
  /** Shown instead of the table when there are no rows (default: the generic "no data"). */
  empty?: ReactNode;
}

export function DataTable<T, R>({ res, rows, compact, footer, empty, ...table }: DataTableProps<T, R>) {
  return (
    <ResourceView res={res} compact={compact}>
      {(data) => {
        const list = rows(data);
        if (!list.length) return empty ?? <Empty />;
        return (
          <>
            <Table {...table} rows={list} />
            {footer?.(data, list)}
          </>
        );
      }}
    </ResourceView>
  );
}
