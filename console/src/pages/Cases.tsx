import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { useApp } from '../lib/app-context.tsx';
import { useResource } from '../lib/useResource.ts';
import { listCases, type CaseFilter, type CaseSummary } from '../api/reports.ts';
import { PageHeader, Panel, ResourceView, Empty, Badge } from '../components/ui.tsx';
import { Link } from '../lib/router.tsx';
import { formatMoney, formatNumber, formatTime } from '../lib/format.ts';

export function Cases() {
  const { t, lang } = useI18n();
  const { features } = useApp();
  const [draft, setDraft] = useState<CaseFilter>({ status: 'open' });
  const [filter, setFilter] = useState<CaseFilter>({ status: 'open' });
  const [extra, setExtra] = useState<CaseSummary[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const res = useResource(() => listCases(filter), [filter], features.cases);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setExtra([]);
    setCursor(undefined);
    setFilter({ ...draft });
  };
  const more = async (next: string) => {
    const page = await listCases({ ...filter, cursor: next });
    setExtra((x) => [...x, ...page.items]);
    setCursor(page.nextCursor ?? null);
  };
  return (
    <>
      <PageHeader title={t('cases.title')} lead={t('cases.lead')} />
      <Panel>
        <form className="filters" onSubmit={apply}>
          <label>
            {t('cases.filter.status')}
            <select value={draft.status ?? ''} onChange={(e) => setDraft({ ...draft, status: e.target.value || undefined })}>
              <option value="">{t('cases.filter.all')}</option>
              <option value="open">{t('cases.filter.open')}</option>
              <option value="closed">{t('cases.filter.closed')}</option>
            </select>
          </label>
          <label className="grow">
            {t('cases.filter.q')}
            <input type="search" value={draft.q ?? ''} onChange={(e) => setDraft({ ...draft, q: e.target.value })} />
          </label>
          <button className="btn" type="submit" disabled={!features.cases}>
            {t('cases.filter.apply')}
          </button>
        </form>
        <ResourceView res={res}>
          {(page) => {
            const rows = [...page.items, ...extra];
            const next = cursor === undefined ? page.nextCursor : cursor;
            if (!rows.length) return <Empty />;
            return (
              <>
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">{t('cases.col.case')}</th>
                      <th scope="col">{t('common.status')}</th>
                      <th scope="col" className="num">{t('cases.col.reports')}</th>
                      <th scope="col" className="num">{t('cases.col.victims')}</th>
                      <th scope="col" className="num">{t('cases.col.loss')}</th>
                      <th scope="col">{t('cases.col.indicator')}</th>
                      <th scope="col">{t('cases.col.last')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((c) => (
                      <tr key={c.id}>
                        <td>
                          <Link to={`/cases/${encodeURIComponent(c.id)}`}>{c.title ?? c.id}</Link>
                        </td>
                        <td>
                          <Badge tone={c.status === 'open' ? 'warn' : 'neutral'}>{t(c.status === 'open' ? 'cases.filter.open' : 'cases.filter.closed')}</Badge>
                        </td>
                        <td className="num">{formatNumber(c.reports, lang)}</td>
                        <td className="num">{formatNumber(c.victims, lang)}</td>
                        <td className="num">{formatMoney(c.totalLossMinor, c.currency, lang)}</td>
                        <td className="mono">{c.topIndicator?.value ?? '—'}</td>
                        <td>{formatTime(c.lastAt, lang)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {next && (
                  <button type="button" className="btn btn-ghost" onClick={() => void more(next)}>
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
