import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { useApp } from '../lib/app-context.tsx';
import { useResource } from '../lib/useResource.ts';
import { latestCheckpoint, listAlerts, listCheckpoints, searchAccess, verifyLog, type AccessQuery } from '../api/audit.ts';
import { PageHeader, Panel, ResourceView, Badge, Empty } from '../components/ui.tsx';
import { formatNumber, formatTime } from '../lib/format.ts';

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
                {v.intact ? <Badge tone="good">✓ {t('access.intact')}</Badge> : <Badge tone="bad">✗ {t('access.broken', { position: v.position ?? '?' })}</Badge>}
                {v.reason && <p className="muted">{v.reason}</p>}
                {v.size !== undefined && <p className="muted">{t('access.size', { size: formatNumber(v.size, lang) })}</p>}
                {latest && <p className="muted">{t('access.checkpoint', { size: formatNumber(latest.size, lang), at: formatTime(latest.createdAt, lang) })}</p>}
              </div>
            )}
          </ResourceView>
        </Panel>
        <Panel title={t('access.alerts')}>
          <ResourceView res={alerts} compact>
            {(d) =>
              d.items.length ? (
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">{t('access.col.at')}</th>
                      <th scope="col">{t('access.col.principal')}</th>
                      <th scope="col">{t('access.col.rule')}</th>
                      <th scope="col">{t('access.col.severity')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.items.map((a) => (
                      <tr key={a.id}>
                        <td>{formatTime(a.createdAt, lang)}</td>
                        <td className="mono">{a.principalId}</td>
                        <td>{a.rule}</td>
                        <td>
                          <Badge tone={a.severity === 'high' ? 'bad' : a.severity === 'medium' ? 'warn' : 'neutral'}>{a.severity}</Badge>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <Empty />
              )
            }
          </ResourceView>
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
        <ResourceView res={entries}>
          {(d) =>
            d.items.length ? (
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col" className="num">#</th>
                    <th scope="col">{t('access.col.at')}</th>
                    <th scope="col">{t('access.col.principal')}</th>
                    <th scope="col">{t('access.col.subject')}</th>
                    <th scope="col">{t('access.col.fields')}</th>
                    <th scope="col">{t('access.col.purpose')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((e) => (
                    <tr key={e.position}>
                      <td className="num mono">{e.position}</td>
                      <td>{formatTime(e.at, lang)}</td>
                      <td className="mono">{e.principalId}</td>
                      <td className="mono">{[e.customerId, e.orderId].filter(Boolean).join(' · ') || '—'}</td>
                      <td>{e.fields.join(', ')}</td>
                      <td>
                        {e.purpose ?? '—'} <span className="muted">{e.channel}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <Empty />
            )
          }
        </ResourceView>
      </Panel>
    </>
  );
}
