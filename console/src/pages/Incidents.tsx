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
            d.length ? (
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">ID</th>
                    <th scope="col">{t('incidents.col.status')}</th>
                    <th scope="col">{t('inv.col.principal')}</th>
                    <th scope="col" className="num">{t('incidents.col.atRisk')}</th>
                    <th scope="col">{t('common.created')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.map((i) => (
                    <tr key={i.id}>
                      <td className="mono">
                        {i.source === 'investigation' && i.sourceRef ? <Link to={`/investigations/${encodeURIComponent(i.sourceRef)}`}>{i.id}</Link> : i.id}
                      </td>
                      <td>
                        <Badge tone={i.state === 'open' ? 'bad' : i.state === 'closed' ? 'neutral' : 'warn'}>{i.state}</Badge>
                      </td>
                      <td className="mono">{i.principalIds.join(', ') || '—'}</td>
                      <td className="num">{formatNumber(i.affected, lang)}</td>
                      <td>{formatTime(i.createdAt, lang)}</td>
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
