import { useMemo } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { useApp } from '../lib/app-context.tsx';
import { useResource } from '../lib/useResource.ts';
import { reportStats, toMinor } from '../api/reports.ts';
import { listInvestigations } from '../api/investigations.ts';
import { listTrips } from '../api/leaks.ts';
import { listAlerts } from '../api/audit.ts';
import { loginStats, denialsOf } from '../api/guard.ts';
import { PageHeader, Panel, ResourceView, StatTile, Empty } from '../components/ui.tsx';
import { Chart } from '../components/Chart.tsx';
import { formatDelta, formatMoney, formatNumber } from '../lib/format.ts';
import { dailySeries, weekFigures } from './charts.ts';

const WEEK_MS = 7 * 86_400_000;

export function Overview() {
  const { t, lang } = useI18n();
  const { features: f } = useApp();
  const stats = useResource(reportStats, [], f.reportStats);
  const invs = useResource(listInvestigations, [], f.investigations);
  const trips = useResource(() => listTrips(new Date(Date.now() - WEEK_MS).toISOString()), [], f.canaries);
  const alerts = useResource(listAlerts, [], f.accessAlerts);
  const logins = useResource(() => loginStats(24), [], f.loginStats);

  const s = stats.state === 'ok' ? stats.data : null;
  const week = useMemo(() => (s ? weekFigures(s.lastDays) : null), [s]);
  // The currency with the largest total leads; the others are in the case pages.
  const loss = s ? ([...s.lossByCurrency].sort((a, b) => b.total - a.total)[0] ?? { currency: 'CNY', total: 0 }) : null;
  const delta = week ? formatDelta(week.thisWeek, week.lastWeek) : null;
  const attributed = invs.state === 'ok' ? invs.data.filter((i) => i.verdict === 'attributed').length : 0;
  const investigations = invs.state === 'ok' ? invs.data.length : 0;
  const denied = logins.state === 'ok' ? denialsOf(logins.data) : 0;
  const series = useMemo(() => (s ? dailySeries(s.lastDays) : null), [s]);

  return (
    <>
      <PageHeader title={t('overview.title')} lead={t('overview.lead')} />
      <div className="tiles">
        <StatTile
          to="/cases"
          label={t('overview.reportsWeek')}
          state={stats.state}
          value={week && formatNumber(week.thisWeek, lang)}
          sub={delta && t('overview.trend', { delta })}
        />
        <StatTile
          to="/cases"
          label={t('overview.cases')}
          state={stats.state}
          value={s && formatNumber(s.cases, lang)}
          sub={s && t('overview.casesSeveral', { n: formatNumber(s.casesWithSeveralReports, lang) })}
        />
        <StatTile to="/cases" label={t('overview.totalLoss')} state={stats.state} value={loss && formatMoney(toMinor(loss.total), loss.currency, lang)} />
        <StatTile
          to="/cases"
          label={t('overview.weekLoss')}
          state={stats.state}
          value={week && loss && formatMoney(toMinor(week.lossThisWeek), loss.currency, lang)}
        />
        <StatTile to="/investigations" label={t('overview.investigations')} state={invs.state} value={`${investigations} / ${attributed}`} />
        <StatTile
          to="/canaries"
          label={t('overview.canaryTrips')}
          state={trips.state}
          value={trips.state === 'ok' && formatNumber(trips.data.items.length, lang)}
        />
        <StatTile
          to="/access"
          label={t('overview.accessAlerts')}
          state={alerts.state}
          value={alerts.state === 'ok' && formatNumber(alerts.data.items.length, lang)}
        />
        <StatTile
          to="/guard"
          label={t('overview.loginStatus')}
          state={logins.state}
          value={
            logins.state === 'ok' &&
            (denied > 0 ? <span className="text-bad">{t('overview.loginSurge')}</span> : <span className="text-good">{t('overview.loginNormal')}</span>)
          }
          sub={logins.state === 'ok' && t('overview.loginDenied', { n: formatNumber(denied, lang) })}
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
                  series: [{ type: 'bar', name: t('overview.reportsByDay'), data: series.counts, itemStyle: { borderRadius: [3, 3, 0, 0] } }],
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
