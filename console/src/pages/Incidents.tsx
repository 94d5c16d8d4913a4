import { useI18n } from '../i18n/i18n.tsx';
import { useApp } from '../lib/app-context.tsx';
import { useResource } from '../lib/useResource.ts';
import { listIncidents } from '../api/incidents.ts';
import { PageHeader, Panel, ResourceView, Badge, Empty } from '../components/ui.tsx';
import { Link } from '../lib/router.tsx';
import { formatNumber, formatTime } from '../lib/format.ts';

export function Incidents() {
  const { t, lang } = useI18n();
  const { features } = useApp();
  const res = useResource(listIncidents, [], features.incidents);
  return (
    <>
      <PageHeader title={t('incidents.title')} lead={t('incidents.lead')} />
      <Panel>
        <ResourceView res={res}>
          {(d) =>
            d.items.length ? (
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">ID</th>
                    <th scope="col">{t('incidents.col.status')}</th>
                    <th scope="col">{t('inv.col.principal')}</th>
                    <th scope="col" className="num">{t('incidents.col.atRisk')}</th>
                    <th scope="col" className="num">{t('incidents.col.notified')}</th>
                    <th scope="col">{t('common.created')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((i) => (
                    <tr key={i.id}>
                      <td className="mono">{i.investigationId ? <Link to={`/investigations/${encodeURIComponent(i.investigationId)}`}>{i.id}</Link> : i.id}</td>
                      <td>
                        <Badge tone={i.status === 'open' ? 'bad' : i.status === 'contained' ? 'warn' : 'neutral'}>{i.status}</Badge>
                      </td>
                      <td className="mono">{i.principalId ?? '—'}</td>
                      <td className="num">{formatNumber(i.atRisk, lang)}</td>
                      <td className="num">{formatNumber(i.notified, lang)}</td>
                      <td>{formatTime(i.openedAt, lang)}</td>
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
