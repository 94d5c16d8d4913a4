import { useI18n } from '../i18n/i18n.tsx';
import { useApp } from '../lib/app-context.tsx';
import { useResource } from '../lib/useResource.ts';
import { loginStats, denialsOf } from '../api/guard.ts';
import { PageHeader, Panel, ResourceView, Badge, Empty } from '../components/ui.tsx';
import { Chart } from '../components/Chart.tsx';
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
            <Panel title={t('guard.decisions')} actions={<Badge tone={denialsOf(s) > 0 ? 'bad' : 'good'}>{t(denialsOf(s) > 0 ? 'overview.loginSurge' : 'overview.loginNormal')}</Badge>}>
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
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('guard.col.prefix')}</th>
                    <th scope="col" className="num">{t('guard.col.failures')}</th>
                    <th scope="col" className="num">{t('guard.col.denied')}</th>
                  </tr>
                </thead>
                <tbody>
                  {s.topPrefixes.map((p) => (
                    <tr key={p.prefix}>
                      <td className="mono">{p.prefix}</td>
                      <td className="num">{formatNumber(p.failures, lang)}</td>
                      <td className="num">{formatNumber(p.denied, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Panel>
          </>
        )}
      </ResourceView>
    </>
  );
}
