import { useState } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { useApp } from '../lib/app-context.tsx';
import { useResource } from '../lib/useResource.ts';
import { INCIDENTS_PAGE, INCIDENT_STATES, createIncident, listIncidents, type IncidentQuery, type IncidentState } from '../api/incidents.ts';
import { PageHeader, Panel } from '../components/ui.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { ProblemAlert } from '../components/ProblemAlert.tsx';
import { Link, useRouter } from '../lib/router.tsx';
import { formatNumber, formatTime } from '../lib/format.ts';
import { StateBadge } from './IncidentPage.tsx';
import { IncidentScopeForm } from './IncidentScopeForm.tsx';
import { toLocalInput, type ScopeForm } from './incident-logic.ts';

/** A blank by-hand form: the last 30 days up to now, no principal or field chosen yet. */
function blankForm(now = Date.now()): ScopeForm {
  return {
    title: '',
    principals: '',
    fields: [],
    from: toLocalInput(new Date(now - 30 * 86_400_000).toISOString()),
    to: toLocalInput(new Date(now).toISOString()),
    reason: '',
  };
}

export function Incidents() {
  const { t, lang } = useI18n();
  const { features } = useApp();
  const { navigate } = useRouter();
  const [q, setQ] = useState<IncidentQuery>({ sort: 'created', offset: 0 });
  const res = useResource(() => listIncidents(q), [q.state, q.sort, q.offset], features.incidents);
  const offset = q.offset ?? 0;
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      <PageHeader
        title={t('incidents.title')}
        lead={t('incidents.lead')}
        actions={
          features.incidents && (
            <button type="button" className="btn btn-primary" aria-expanded={creating} onClick={() => setCreating((x) => !x)}>
              {t('incident.new')}
            </button>
          )
        }
      />
      {creating && (
        <Panel title={t('incident.new')}>
          <p className="hint">{t('incident.newLead')}</p>
          <ProblemAlert error={error} onDismiss={() => setError(null)} />
          <IncidentScopeForm
            initial={blankForm()}
            mode="create"
            busy={busy}
            onCancel={() => setCreating(false)}
            onSubmit={(f, scope) => {
              setBusy(true);
              setError(null);
              createIncident({ title: f.title.trim(), ...scope }).then(
                (inc) => navigate(`/incidents/${encodeURIComponent(inc.id)}`),
                (e) => {
                  setError(e);
                  setBusy(false);
                },
              );
            }}
          />
        </Panel>
      )}
      <Panel>
        <div className="filters">
          <label>
            {t('incidents.col.status')}
            <select value={q.state ?? ''} onChange={(e) => setQ({ ...q, offset: 0, state: (e.target.value || undefined) as IncidentState | undefined })}>
              <option value="">{t('cases.filter.all')}</option>
              {INCIDENT_STATES.map((s) => (
                <option key={s} value={s}>
                  {t(`incident.state.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('cases.filter.sort')}
            <select value={q.sort} onChange={(e) => setQ({ ...q, offset: 0, sort: e.target.value as 'created' | 'updated' | 'affected' })}>
              <option value="created">{t('common.created')}</option>
              <option value="updated">{t('cases.sort.updated')}</option>
              <option value="affected">{t('incidents.col.atRisk')}</option>
            </select>
          </label>
        </div>
        <DataTable
          res={res}
          rows={(d) => d}
          rowKey={(i) => i.id}
          footer={(page) => (
            <nav className="pager" aria-label={t('incidents.title')}>
              <button
                type="button"
                className="btn btn-ghost btn-small"
                disabled={offset === 0}
                onClick={() => setQ({ ...q, offset: Math.max(0, offset - INCIDENTS_PAGE) })}
              >
                {t('cases.prev')}
              </button>
              <button
                type="button"
                className="btn btn-ghost btn-small"
                disabled={page.length < INCIDENTS_PAGE}
                onClick={() => setQ({ ...q, offset: offset + INCIDENTS_PAGE })}
              >
                {t('cases.next')}
              </button>
            </nav>
          )}
          columns={[
            { header: 'ID', className: 'mono', cell: (i) => <Link to={`/incidents/${encodeURIComponent(i.id)}`}>{i.id}</Link> },
            { header: t('incident.form.title'), cell: (i) => i.title },
            { header: t('incidents.col.status'), cell: (i) => <StateBadge state={i.state} /> },
            { header: t('inv.col.principal'), className: 'mono', cell: (i) => i.principalIds.join(', ') || '—' },
            { header: t('incidents.col.atRisk'), num: true, cell: (i) => formatNumber(i.affected, lang) },
            { header: t('common.created'), cell: (i) => formatTime(i.createdAt, lang) },
          ]}
        />
      </Panel>
    </>
  );
}
