import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { useApp } from '../lib/app-context.tsx';
import { useResource } from '../lib/useResource.ts';
import { latestCheckpoint, listAlerts, listCheckpoints, searchAccess, verifyLog, type AccessQuery } from '../api/audit.ts';
import { PageHeader, Panel, ResourceView, Badge } from '../components/ui.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { formatNumber, formatTime } from '../lib/format.ts';
import { fieldList } from '../lib/labels.ts';

/** datetime-local value → ISO (the browser's time zone), or undefined when empty. */
export function localToIso(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function AccessLog() {
  const { t, lang } = useI18n();
  const { features } = useApp();
  const [draft, setDraft] = useState<AccessQuery>({});
  const [query, setQuery] = useState<AccessQuery>({});
  const entries = useResource(() => searchAccess({ ...query, from: localToIso(query.from), to: localToIso(query.to) }), [query], features.auditEntries);
  const chain = useResource(verifyLog, [], features.auditVerify);
  const alerts = useResource(listAlerts, [], features.accessAlerts);
  const checkpoints = useResource(listCheckpoints, [], features.auditVerify);
  const latest = checkpoints.state === 'ok' ? latestCheckpoint(checkpoints.data.items) : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setQuery({ ...draft });
  };
  const field = (k: keyof AccessQuery, label: string, type = 'text') => (
    <label>
      {label}
      <input type={type} value={draft[k] ?? ''} onChange={(e) => setDraft({ ...draft, [k]: e.target.value || undefined })} />
    </label>
  );
  return (
    <>
      <PageHeader title={t('access.title')} lead={t('access.lead')} />
      <div className="grid-2">
        <Panel title={t('access.chain')}>
          <ResourceView res={chain} compact>
            {(v) => (
              <div className="chain">
                {v.intact ? (
                  <Badge tone="good">✓ {t('access.intact')}</Badge>
                ) : (
                  <Badge tone="bad">✗ {t('access.broken', { position: v.position ?? '?' })}</Badge>
                )}
                {v.reason && <p className="muted">{v.reason}</p>}
                {v.size !== undefined && <p className="muted">{t('access.size', { size: formatNumber(v.size, lang) })}</p>}
                {latest && <p className="muted">{t('access.checkpoint', { size: formatNumber(latest.size, lang), at: formatTime(latest.createdAt, lang) })}</p>}
              </div>
            )}
          </ResourceView>
        </Panel>
        <Panel title={t('access.alerts')}>
          <DataTable
            res={alerts}
            compact
            rows={(d) => d.items}
            rowKey={(a) => a.id}
            columns={[
              { header: t('access.col.at'), cell: (a) => formatTime(a.createdAt, lang) },
              { header: t('access.col.principal'), cell: (a) => a.principalId, className: 'mono' },
              { header: t('access.col.rule'), cell: (a) => a.rule },
              {
                header: t('access.col.severity'),
                cell: (a) => <Badge tone={a.severity === 'high' ? 'bad' : a.severity === 'medium' ? 'warn' : 'neutral'}>{a.severity}</Badge>,
              },
            ]}
          />
        </Panel>
      </div>
      <Panel>
        <form className="filters" onSubmit={submit}>
          {field('principalId', t('access.principal'))}
          {field('customerId', t('access.customer'))}
          {field('orderId', t('access.order'))}
          {field('from', t('access.from'), 'datetime-local')}
          {field('to', t('access.to'), 'datetime-local')}
          <button className="btn" type="submit" disabled={!features.auditEntries}>
            {t('access.search')}
          </button>
        </form>
        <DataTable
          res={entries}
          rows={(d) => d.items}
          rowKey={(e) => e.position}
          columns={[
            { header: '#', cell: (e) => e.position, num: true, className: 'mono' },
            { header: t('access.col.at'), cell: (e) => formatTime(e.at, lang) },
            { header: t('access.col.principal'), cell: (e) => e.principalId, className: 'mono' },
            { header: t('access.col.subject'), cell: (e) => [e.customerId, e.orderId].filter(Boolean).join(' · ') || '—', className: 'mono' },
            { header: t('access.col.fields'), cell: (e) => fieldList(t, e.fields) },
            {
              header: t('access.col.purpose'),
              cell: (e) => (
                <>
                  {e.purpose ?? '—'} <span className="muted">{e.channel}</span>
                </>
              ),
            },
          ]}
        />
      </Panel>
    </>
  );
}
