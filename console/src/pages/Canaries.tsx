import { useI18n } from '../i18n/i18n.tsx';
import { useApp } from '../lib/app-context.tsx';
import { useResource } from '../lib/useResource.ts';
import { listCanaries, listExports, listTrips, tripsByCanary, type Scope } from '../api/leaks.ts';
import { PageHeader, Panel, Badge } from '../components/ui.tsx';
import { DataTable } from '../components/DataTable.tsx';
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
        <DataTable
          res={canaries}
          rows={(d) => d.items}
          rowKey={(c) => c.id}
          rowClass={(c) => (tripMap.has(c.id) ? 'row-alert' : undefined)}
          columns={[
            { header: 'ID', cell: (c) => c.id, className: 'mono' },
            { header: t('canaries.col.scope'), cell: (c) => scopeText(c.scope) },
            {
              header: t('canaries.col.trips'),
              num: true,
              cell: (c) => {
                const tr = tripMap.get(c.id);
                return tr ? <Badge tone="bad">{formatNumber(tr.count, lang)}</Badge> : 0;
              },
            },
            { header: t('canaries.col.lastTrip'), cell: (c) => formatTime(tripMap.get(c.id)?.last, lang) },
            { header: t('common.created'), cell: (c) => formatTime(c.createdAt, lang) },
          ]}
        />
      </Panel>
      <Panel title={t('exports.title')}>
        <DataTable
          res={exports}
          rows={(d) => d.items}
          rowKey={(x) => x.id}
          columns={[
            { header: 'ID', cell: (x) => x.id, className: 'mono' },
            { header: t('exports.col.recipient'), cell: (x) => x.recipientId, className: 'mono' },
            { header: t('exports.col.records'), cell: (x) => formatNumber(x.records, lang), num: true },
            { header: t('exports.col.substitutes'), cell: (x) => t(`exports.phone.${x.phone === 'token' || x.phone === 'virtual' ? x.phone : 'real'}`) },
            { header: t('common.created'), cell: (x) => formatTime(x.at, lang) },
          ]}
        />
      </Panel>
    </>
  );
}
