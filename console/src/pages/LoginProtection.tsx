import { useI18n } from '../i18n/i18n.tsx';
import { useApp } from '../lib/app-context.tsx';
import { useResource } from '../lib/useResource.ts';
import { loginStats, denialsOf } from '../api/guard.ts';
import { PageHeader, Panel, ResourceView, Badge, Empty } from '../components/ui.tsx';
import { Chart } from '../components/Chart.tsx';
import { Table } from '../components/DataTable.tsx';
import { formatNumber, formatTime } from '../lib/format.ts';

export function LoginProtection() {
  const { t, lang } = useI18n();
  const { features } = useApp();
  const res = useResource(() => loginStats(24), [], features.loginStats);
  return (
    <>
      <PageHeader title={t('guard.title')} lead={t('guard.lead')} />
      <ResourceView res={res}>
        {(s) => (
          <>
            <Panel
              title={t('guard.decisions')}
              actions={<Badge tone={denialsOf(s) > 0 ? 'bad' : 'good'}>{t(denialsOf(s) > 0 ? 'overview.loginSurge' : 'overview.loginNormal')}</Badge>}
            >
              {s.buckets.length ? (
                <Chart
                  label={t('guard.decisions')}
                  height={280}
                  option={{
                    grid: { left: 48, right: 16, top: 32, bottom: 28 },
                    tooltip: { trigger: 'axis' },
                    legend: { data: [t('guard.allow'), t('guard.challenge'), t('guard.deny')], top: 0 },
                    xAxis: { type: 'category', data: s.buckets.map((p) => formatTime(p.at, lang).slice(-5)) },
                    yAxis: { type: 'value' },
                    series: [
                      { name: t('guard.allow'), type: 'line', stack: 'd', areaStyle: {}, data: s.buckets.map((p) => p.allow), color: '#0f766e' },
                      { name: t('guard.challenge'), type: 'line', stack: 'd', areaStyle: {}, data: s.buckets.map((p) => p.challenge), color: '#b45309' },
                      { name: t('guard.deny'), type: 'line', stack: 'd', areaStyle: {}, data: s.buckets.map((p) => p.deny), color: '#be123c' },
                    ],
                  }}
                />
              ) : (
                <Empty />
              )}
            </Panel>
            <Panel title={t('guard.prefixes')}>
              <Table
                rows={s.topPrefixes}
                rowKey={(p) => p.prefix}
                columns={[
                  { header: t('guard.col.prefix'), cell: (p) => p.prefix, className: 'mono' },
                  { header: t('guard.col.failures'), cell: (p) => formatNumber(p.failures, lang), num: true },
                  { header: t('guard.col.denied'), cell: (p) => formatNumber(p.denied, lang), num: true },
                ]}
              />
            </Panel>
          </>
        )}
      </ResourceView>
    </>
  );
}
