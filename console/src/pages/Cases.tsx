import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { useApp } from '../lib/app-context.tsx';
import { useResource } from '../lib/useResource.ts';
import { CASES_PAGE, listCases, type CaseSummary } from '../api/reports.ts';
import { PageHeader, Panel, ResourceView, Empty } from '../components/ui.tsx';
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
        <ResourceView res={res}>
          {(page) => {
            const rows = [...page, ...extra];
            const hasMore = more === undefined ? page.length === CASES_PAGE : more;
            if (!rows.length) return <Empty />;
            return (
              <>
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">{t('cases.col.case')}</th>
                      <th scope="col" className="num">{t('cases.col.reports')}</th>
                      <th scope="col">{t('cases.col.created')}</th>
                      <th scope="col">{t('cases.col.last')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((c) => (
                      <tr key={c.id}>
                        <td>
                          <Link to={`/cases/${encodeURIComponent(c.id)}`}>{c.id}</Link>
                        </td>
                        <td className="num">{formatNumber(c.reports, lang)}</td>
                        <td>{formatTime(c.createdAt, lang)}</td>
                        <td>{formatTime(c.updatedAt, lang)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {hasMore && (
                  <button type="button" className="btn btn-ghost" onClick={() => void loadMore(rows.length)}>
                    {t('cases.more')}
                  </button>
                )}
              </>
            );
          }}
        </ResourceView>
      </Panel>
    </>
  );
}
