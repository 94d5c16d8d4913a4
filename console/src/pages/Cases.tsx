import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { useApp } from '../lib/app-context.tsx';
import { useResource } from '../lib/useResource.ts';
import { CASES_PAGE, listCases, type CaseSummary } from '../api/reports.ts';
import { PageHeader, Panel } from '../components/ui.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { Link } from '../lib/router.tsx';
import { formatNumber, formatTime } from '../lib/format.ts';

/** GET /v1/cases: live cases, most reports first as the server orders them; filter by a minimum
 * number of reports (a case with one report is often noise), page by offset. */
export function Cases() {
  const { t, lang } = useI18n();
  const { features } = useApp();
  const [draft, setDraft] = useState('1');
  const [minReports, setMinReports] = useState(1);
  const [extra, setExtra] = useState<CaseSummary[]>([]);
  const [more, setMore] = useState<boolean | undefined>(undefined);
  const res = useResource(() => listCases({ minReports }), [minReports], features.cases);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setExtra([]);
    setMore(undefined);
    setMinReports(Math.max(1, Math.floor(Number(draft)) || 1));
  };
  const loadMore = async (offset: number) => {
    const page = await listCases({ minReports, offset });
    setExtra((x) => [...x, ...page]);
    setMore(page.length === CASES_PAGE);
  };
  return (
    <>
      <PageHeader title={t('cases.title')} lead={t('cases.lead')} />
      <Panel>
        <form className="filters" onSubmit={apply}>
          <label>
            {t('cases.filter.minReports')}
            <input type="number" min={1} step={1} value={draft} onChange={(e) => setDraft(e.target.value)} />
          </label>
          <button className="btn" type="submit" disabled={!features.cases}>
            {t('cases.filter.apply')}
          </button>
        </form>
        <DataTable
          res={res}
          rows={(page) => [...page, ...extra]}
          rowKey={(c) => c.id}
          columns={[
            { header: t('cases.col.case'), cell: (c) => <Link to={`/cases/${encodeURIComponent(c.id)}`}>{c.id}</Link> },
            { header: t('cases.col.reports'), cell: (c) => formatNumber(c.reports, lang), num: true },
            { header: t('cases.col.created'), cell: (c) => formatTime(c.createdAt, lang) },
            { header: t('cases.col.last'), cell: (c) => formatTime(c.updatedAt, lang) },
          ]}
          footer={(page, rows) =>
            (more === undefined ? page.length === CASES_PAGE : more) && (
              <button type="button" className="btn btn-ghost" onClick={() => void loadMore(rows.length)}>
                {t('cases.more')}
              </button>
            )
          }
        />
      </Panel>
    </>
  );
}
