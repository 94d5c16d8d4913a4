import { useState, type FormEvent } from 'react';
import { knownLabel, useI18n } from '../i18n/i18n.tsx';
import { useApp } from '../lib/app-context.tsx';
import { useResource } from '../lib/useResource.ts';
import {
  CASE_RESOLUTIONS,
  CASE_SORTS,
  CASE_STATUSES,
  CASES_PAGE,
  bulkChange,
  caseFilters,
  listCases,
  type CaseListItem,
  type CaseQuery,
  type CaseResolution,
  type CaseSort,
  type CaseStatus,
} from '../api/cases.ts';
import { toMinor } from '../api/reports.ts';
import { PageHeader, Panel, Badge } from '../components/ui.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { Assignee, KindLabel, PriorityBadge, StatusBadge, TierBadge } from '../components/CaseBadges.tsx';
import { Link } from '../lib/router.tsx';
import { formatMoney, formatNumber, formatTime } from '../lib/format.ts';
import { ApiError } from '../api/http.ts';

/** GET /v1/cases: the triage list — saved filters, filters, sort and pages come from the server. */
export function Cases() {
  const { t, lang } = useI18n();
  const { features, session } = useApp();
  const [q, setQ] = useState<CaseQuery>({ sort: 'lastContact', order: 'desc', offset: 0 });
  const [draft, setDraft] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [resolution, setResolution] = useState<CaseResolution | ''>('');
  const [message, setMessage] = useState<string | null>(null);
  const res = useResource(() => listCases(q), [JSON.stringify(q)], features.cases);
  const filters = useResource(() => caseFilters(), [], features.cases);
  const set = (patch: Partial<CaseQuery>) => {
    setSelected(new Set());
    setQ((x) => ({ ...x, offset: 0, ...patch }));
  };
  const search = (e: FormEvent) => {
    e.preventDefault();
    set({ indicator: draft.trim() || undefined });
  };
  const bulk = async (change: Parameters<typeof bulkChange>[0]) => {
    setMessage(null);
    try {
      const r = await bulkChange(change);
      setMessage(
        [t('cases.bulk.done', { n: r.updated.length }), r.failed.length ? t('cases.bulk.failed', { n: r.failed.length }) : ''].filter(Boolean).join(' · '),
      );
      setSelected(new Set());
      res.reload();
    } catch (e) {
      setMessage(e instanceof ApiError ? e.message : String(e));
    }
  };
  const toggle = (id: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const money = (c: CaseListItem) => formatMoney(toMinor(c.loss.total), c.loss.currency, lang);
  return (
    <>
      <PageHeader title={t('cases.title')} lead={t('cases.lead')} />
      <Panel>
        <form className="filters" onSubmit={search}>
          <label>
            {t('cases.filter.saved')}
            <select value={q.filter ?? ''} onChange={(e) => set({ filter: e.target.value || undefined })}>
              <option value="">{t('cases.filter.none')}</option>
              {filters.state === 'ok' &&
                filters.data.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.builtin ? knownLabel(t, 'cases.saved.', f.id) : f.name}
                  </option>
                ))}
            </select>
          </label>
          <label>
            {t('cases.filter.status')}
            <select value={q.status ?? ''} onChange={(e) => set({ status: (e.target.value || undefined) as CaseStatus | undefined })}>
              <option value="">{t('cases.filter.all')}</option>
              {CASE_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`case.status.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('cases.filter.sort')}
            <select value={q.sort} onChange={(e) => set({ sort: e.target.value as CaseSort })}>
              {CASE_SORTS.map((s) => (
                <option key={s} value={s}>
                  {t(`cases.sort.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span className="sr-only">{t('cases.filter.sort')}</span>
            <select aria-label={t('cases.filter.sort')} value={q.order} onChange={(e) => set({ order: e.target.value as 'asc' | 'desc' })}>
              <option value="desc">{t('cases.filter.order.desc')}</option>
              <option value="asc">{t('cases.filter.order.asc')}</option>
            </select>
          </label>
          <label className="grow">
            {t('cases.filter.indicator')}
            <input type="search" value={draft} onChange={(e) => setDraft(e.target.value)} />
          </label>
          <button className="btn" type="submit" disabled={!features.cases}>
            {t('cases.filter.apply')}
          </button>
        </form>
        {selected.size > 0 && (
          <div className="bulk-bar" role="region" aria-label={t('cases.bulk.selected', { n: selected.size })}>
            <strong>{t('cases.bulk.selected', { n: selected.size })}</strong>
            <button type="button" className="btn btn-small" onClick={() => void bulk({ ids: [...selected], assignee: { keyName: session.keyName ?? '' } })}>
              {t('cases.bulk.assignMe')}
            </button>
            <select aria-label={t('wf.resolution')} value={resolution} onChange={(e) => setResolution(e.target.value as CaseResolution | '')}>
              <option value="">{t('wf.resolution.choose')}</option>
              {CASE_RESOLUTIONS.map((r) => (
                <option key={r} value={r}>
                  {t(`case.resolution.${r}`)}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="btn btn-small"
              disabled={!resolution}
              onClick={() => resolution && void bulk({ ids: [...selected], status: 'resolved', resolution })}
            >
              {t('cases.bulk.resolve')}
            </button>
          </div>
        )}
        {message && (
          <p className="muted" role="status">
            {message}
          </p>
        )}
        <DataTable
          res={res}
          rows={(page) => page.items}
          rowKey={(c) => c.id}
          rowClass={(c) => (c.overdue ? 'row-alert' : undefined)}
          columns={[
            {
              header: <span className="sr-only">{t('cases.selectAll')}</span>,
              cell: (c) => <input type="checkbox" aria-label={t('cases.select', { id: c.id })} checked={selected.has(c.id)} onChange={() => toggle(c.id)} />,
            },
            {
              header: t('cases.col.case'),
              cell: (c) => (
                <Link to={`/cases/${encodeURIComponent(c.id)}`} className="mono">
                  {c.id}
                </Link>
              ),
            },
            { header: t('cases.col.status'), cell: (c) => <StatusBadge status={c.status} resolution={c.resolution} /> },
            { header: t('cases.col.priority'), cell: (c) => <PriorityBadge priority={c.priority} /> },
            { header: t('cases.col.assignee'), cell: (c) => <Assignee c={c} /> },
            {
              header: t('cases.col.due'),
              cell: (c) =>
                c.dueAt ? (
                  <>
                    {formatTime(c.dueAt, lang)} {c.overdue && <Badge tone="bad">{t('cases.overdue')}</Badge>}
                  </>
                ) : (
                  '—'
                ),
            },
            { header: t('cases.col.victims'), cell: (c) => formatNumber(c.victims, lang), num: true },
            { header: t('cases.col.loss'), cell: money, num: true },
            { header: t('cases.col.lastContact'), cell: (c) => formatTime(c.lastContact, lang) },
            {
              header: t('cases.col.indicator'),
              cell: (c) =>
                c.mainIndicator ? (
                  <>
                    <KindLabel kind={c.mainIndicator.kind} /> <span className="mono">{c.mainIndicator.value}</span>
                  </>
                ) : (
                  '—'
                ),
            },
            { header: t('cases.col.tier'), cell: (c) => <TierBadge tier={c.tier} /> },
          ]}
          footer={(page) => (
            <nav className="pager" aria-label={t('cases.page', { from: page.offset + 1, to: page.offset + page.items.length, total: page.total })}>
              <span className="muted">
                {t('cases.page', {
                  from: formatNumber(page.offset + 1, lang),
                  to: formatNumber(page.offset + page.items.length, lang),
                  total: formatNumber(page.total, lang),
                })}
              </span>
              <button
                type="button"
                className="btn btn-ghost btn-small"
                disabled={page.offset === 0}
                onClick={() => setQ((x) => ({ ...x, offset: Math.max(0, page.offset - CASES_PAGE) }))}
              >
                {t('cases.prev')}
              </button>
              <button
                type="button"
                className="btn btn-ghost btn-small"
                disabled={page.offset + page.items.length >= page.total}
                onClick={() => setQ((x) => ({ ...x, offset: page.offset + CASES_PAGE }))}
              >
                {t('cases.next')}
              </button>
            </nav>
          )}
        />
      </Panel>
    </>
  );
}
