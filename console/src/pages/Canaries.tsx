import { useI18n } from '../i18n/i18n.tsx';
import { useApp } from '../lib/app-context.tsx';
import { useResource } from '../lib/useResource.ts';
import { listCanaries, listExports, listTrips, tripsByCanary, type Scope } from '../api/leaks.ts';
import { PageHeader, Panel, ResourceView, Badge, Empty } from '../components/ui.tsx';
import { formatNumber, formatTime } from '../lib/format.ts';

export function Canaries() {
  const { t, lang } = useI18n();
  const { features } = useApp();
  const canaries = useResource(listCanaries, [], features.canaries);
  const exports = useResource(listExports, [], features.exports);
  const trips = useResource(() => listTrips(), [], features.canaries);
  const tripMap = trips.state === 'ok' ? tripsByCanary(trips.data.items) : new Map<string, { count: number; last: string }>();
  const scopeText = (sc: Scope) => `${t(`canaries.scope.${sc.kind}`)} · ${sc.id}`;
  return (
    <>
      <PageHeader title={t('canaries.title')} lead={t('canaries.lead')} />
      <Panel title={t('nav.canaries')}>
        <ResourceView res={canaries}>
          {(d) =>
            d.items.length ? (
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">ID</th>
                    <th scope="col">{t('canaries.col.scope')}</th>
                    <th scope="col" className="num">{t('canaries.col.trips')}</th>
                    <th scope="col">{t('canaries.col.lastTrip')}</th>
                    <th scope="col">{t('common.created')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((c) => {
                    const tr = tripMap.get(c.id);
                    return (
                      <tr key={c.id} className={tr ? 'row-alert' : undefined}>
                        <td className="mono">{c.id}</td>
                        <td>{scopeText(c.scope)}</td>
                        <td className="num">{tr ? <Badge tone="bad">{formatNumber(tr.count, lang)}</Badge> : 0}</td>
                        <td>{formatTime(tr?.last, lang)}</td>
                        <td>{formatTime(c.createdAt, lang)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            ) : (
              <Empty />
            )
          }
        </ResourceView>
      </Panel>
      <Panel title={t('exports.title')}>
        <ResourceView res={exports}>
          {(d) =>
            d.items.length ? (
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">ID</th>
                    <th scope="col">{t('exports.col.recipient')}</th>
                    <th scope="col" className="num">{t('exports.col.records')}</th>
                    <th scope="col">{t('exports.col.substitutes')}</th>
                    <th scope="col">{t('common.created')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((x) => (
                    <tr key={x.id}>
                      <td className="mono">{x.id}</td>
                      <td className="mono">{x.recipientId}</td>
                      <td className="num">{formatNumber(x.records, lang)}</td>
                      <td>{t(`exports.phone.${x.phone === 'token' || x.phone === 'virtual' ? x.phone : 'real'}`)}</td>
                      <td>{formatTime(x.at, lang)}</td>
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
