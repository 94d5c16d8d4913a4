import { useMemo } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { useApp } from '../lib/app-context.tsx';
import { useResource } from '../lib/useResource.ts';
import { reportStats, listCases } from '../api/reports.ts';
import { listInvestigations } from '../api/investigations.ts';
import { listCanaries } from '../api/leaks.ts';
import { listAlerts } from '../api/audit.ts';
import { loginStats } from '../api/guard.ts';
import { PageHeader, Panel, ResourceView, StatTile, Empty } from '../components/ui.tsx';
import { Chart } from '../components/Chart.tsx';
import { formatDelta, formatMoney, formatNumber } from '../lib/format.ts';
import { dailySeries } from './charts.ts';

export function Overview() {
  const { t, lang } = useI18n();
  const { features: f } = useApp();
  const stats = useResource(reportStats, [], f.reportStats);
  const cases = useResource(() => listCases({ status: 'open' }), [], f.cases);
  const invs = useResource(listInvestigations, [], f.investigations);
  const canaries = useResource(listCanaries, [], f.canaries);
  const alerts = useResource(listAlerts, [], f.accessAlerts);
  const logins = useResource(() => loginStats(24), [], f.loginStats);

  const s = stats.state === 'ok' ? stats.data : null;
  const delta = s ? formatDelta(s.reportsThisWeek, s.reportsLastWeek) : null;
  const running = invs.state === 'ok' ? invs.data.items.filter((i) => i.status === 'running').length : 0;
  const attributed = invs.state === 'ok' ? invs.data.items.filter((i) => i.verdict === 'attributed').length : 0;
  const trips = canaries.state === 'ok' ? canaries.data.items.reduce((n, c) => n + c.trips, 0) : 0;
  const series = useMemo(() => (s ? dailySeries(s.byDay) : null), [s]);

  return (
    <>
      <PageHeader title={t('overview.title')} lead={t('overview.lead')} />
      <div className="tiles">
        <StatTile to="/cases" label={t('overview.reportsWeek')} state={stats.state} value={s && formatNumber(s.reportsThisWeek, lang)} sub={delta && t('overview.trend', { delta })} />
        <StatTile to="/cases" label={t('overview.victims')} state={stats.state} value={s && formatNumber(s.victims, lang)} />
        <StatTile to="/cases" label={t('overview.totalLoss')} state={stats.state} value={s && formatMoney(s.totalLossMinor, s.currency, lang)} />
        <StatTile to="/cases" label={t('overview.medianLoss')} state={stats.state} value={s && formatMoney(s.medianLossMinor, s.currency, lang)} />
        <StatTile to="/cases" label={t('overview.openCases')} state={cases.state} value={cases.state === 'ok' && formatNumber(cases.data.items.length, lang) + (cases.data.nextCursor ? '+' : '')} />
        <StatTile to="/investigations" label={t('overview.investigations')} state={invs.state} value={`${running} / ${attributed}`} />
        <StatTile to="/canaries" label={t('overview.canaryTrips')} state={canaries.state} value={formatNumber(trips, lang)} />
        <StatTile to="/access" label={t('overview.accessAlerts')} state={alerts.state} value={alerts.state === 'ok' && formatNumber(alerts.data.items.length, lang)} />
        <StatTile
          to="/guard"
          label={t('overview.loginStatus')}
          state={logins.state}
          value={logins.state === 'ok' && (logins.data.mode === 'surge' ? <span className="text-bad">{t('overview.loginSurge')}</span> : <span className="text-good">{t('overview.loginNormal')}</span>)}
        />
      </div>
      <Panel title={t('overview.reportsByDay')}>
        <ResourceView res={stats}>
          {() =>
            series && series.days.length ? (
              <Chart
                label={t('overview.reportsByDay')}
                height={240}
                option={{
                  grid: { left: 40, right: 16, top: 16, bottom: 28 },
                  tooltip: { trigger: 'axis' },
                  xAxis: { type: 'category', data: series.days },
                  yAxis: { type: 'value', minInterval: 1 },
                  series: [{ type: 'bar', name: t('overview.reportsWeek'), data: series.counts, itemStyle: { borderRadius: [3, 3, 0, 0] } }],
                }}
              />
            ) : (
              <Empty />
            )
          }
        </ResourceView>
      </Panel>
    </>
  );
}
