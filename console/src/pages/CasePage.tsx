import { useMemo, useState } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { useApp } from '../lib/app-context.tsx';
import { useResource } from '../lib/useResource.ts';
import { caseExports, getCase, type CaseDetail } from '../api/reports.ts';
import { startInvestigation } from '../api/investigations.ts';
import { PageHeader, Panel, ResourceView, Badge } from '../components/ui.tsx';
import { Chart } from '../components/Chart.tsx';
import { useRouter } from '../lib/router.tsx';
import { formatMoney, formatNumber, formatTime } from '../lib/format.ts';
import { GRAPH_CATEGORIES, GRAPH_COLORS, indicatorGraph } from './charts.ts';
import { ApiError } from '../api/http.ts';
import { zh, type MessageKey } from '../i18n/messages.ts';

export function CasePage({ id }: { id: string }) {
  const { features } = useApp();
  const res = useResource(() => getCase(id), [id], features.cases);
  return (
    <ResourceView res={res}>
      {(c) => <CaseBody c={c} />}
    </ResourceView>
  );
}

function CaseBody({ c }: { c: CaseDetail }) {
  const { t, lang } = useI18n();
  const { features } = useApp();
  const { navigate } = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const graph = useMemo(() => indicatorGraph(c, (r) => r), [c]);
  const links = caseExports(c.id);
  const investigate = async () => {
    setBusy(true);
    setError(null);
    try {
      const { id } = await startInvestigation({ caseId: c.id });
      navigate(`/investigations/${encodeURIComponent(id)}`);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      setBusy(false);
    }
  };
  const money = (m: number) => formatMoney(m, c.currency, lang);
  return (
    <>
      <PageHeader
        title={c.title ?? c.id}
        lead={`${formatNumber(c.reports, lang)} ${t('cases.col.reports')} · ${formatNumber(c.victims, lang)} ${t('cases.col.victims')} · ${money(c.totalLossMinor)}`}
        actions={
          <>
            <span className="export-links" aria-label={t('case.exports')}>
              <a className="btn btn-ghost" href={links.csv} download>{t('case.export.csv')}</a>
              <a className="btn btn-ghost" href={links.stix} download>{t('case.export.stix')}</a>
              <a className="btn btn-ghost" href={links.police} target="_blank" rel="noopener">{t('case.export.police')}</a>
            </span>
            <button type="button" className="btn btn-primary" disabled={busy || !features.investigations} onClick={() => void investigate()}>
              {busy ? t('case.investigating') : t('case.investigate')}
            </button>
          </>
        }
      />
      {error && <div className="state state-error" role="alert">{error}</div>}
      <div className="grid-2">
        <Panel title={t('case.stats')}>
          <dl className="kv">
            <dt>{t('overview.totalLoss')}</dt>
            <dd>{money(c.totalLossMinor)}</dd>
            <dt>{t('overview.medianLoss')}</dt>
            <dd>{money(c.stats.medianLossMinor)}</dd>
            <dt>{t('case.maxLoss')}</dt>
            <dd>{money(c.stats.maxLossMinor)}</dd>
            {(['byChannel', 'byMethod', 'byScript'] as const).map((k) => (
              <FragmentKV
                key={k}
                label={t(k === 'byChannel' ? 'case.byChannel' : k === 'byMethod' ? 'case.byMethod' : 'case.byScript')}
                counts={c.stats[k]}
                name={(v) => knownLabel(t, k === 'byChannel' ? 'report.channel.' : k === 'byMethod' ? 'report.method.' : 'report.script.', v)}
              />
            ))}
          </dl>
        </Panel>
        <Panel title={t('case.moneyPath')}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('case.payee')}</th>
                <th scope="col" className="num">{t('case.payments')}</th>
                <th scope="col" className="num">{t('case.amount')}</th>
              </tr>
            </thead>
            <tbody>
              {c.moneyPath.map((m, i) => (
                <tr key={i}>
                  <td>
                    {m.payeeName ?? '—'} <span className="muted mono">{m.payeeAccount ?? ''}</span> <span className="muted">{m.institution ?? ''}</span>
                  </td>
                  <td className="num">{formatNumber(m.payments, lang)}</td>
                  <td className="num">{money(m.amountMinor)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
      </div>
      <Panel title={t('case.indicators')}>
        <Chart
          label={t('case.indicators')}
          height={380}
          option={{
            tooltip: {},
            color: GRAPH_COLORS,
            legend: { data: GRAPH_CATEGORIES.map((k) => t(`case.node.${k}`)), bottom: 0 },
            series: [
              {
                type: 'graph',
                layout: 'force',
                roam: true,
                draggable: true,
                force: { repulsion: 320, edgeLength: [70, 140], gravity: 0.08 },
                categories: GRAPH_CATEGORIES.map((k) => ({ name: t(`case.node.${k}`) })),
                data: graph.nodes,
                links: graph.links,
                label: { show: true, position: 'right', fontSize: 11 },
              },
            ],
          }}
        />
      </Panel>
      <Panel title={t('case.timeline')}>
        <ol className="timeline">
          {[...c.timeline]
            .sort((a, b) => a.at.localeCompare(b.at))
            .map((e, i) => (
              <li key={i} className={`tl-${e.kind}`}>
                <time dateTime={e.at}>{formatTime(e.at, lang)}</time>
                <Badge tone={e.kind === 'loss' ? 'bad' : e.kind === 'contact' ? 'warn' : 'info'}>{t(`case.kind.${e.kind}`)}</Badge>
                {e.channel && <span>{t(`report.channel.${e.channel}`)}</span>}
                {e.amountMinor !== undefined && <strong>{money(e.amountMinor)}</strong>}
                <span className="muted mono">{e.reportId}</span>
              </li>
            ))}
        </ol>
      </Panel>
    </>
  );
}

/** The translated label of a known enum value, or the value itself. */
function knownLabel(t: (k: MessageKey) => string, prefix: string, v: string): string {
  const key = `${prefix}${v}`;
  return key in zh ? t(key as MessageKey) : v;
}

function FragmentKV({ label, counts, name }: { label: string; counts: Record<string, number>; name(v: string): string }) {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return (
    <>
      <dt>{label}</dt>
      <dd>{entries.length ? entries.map(([k, v]) => `${name(k)} ${v}`).join(' · ') : '—'}</dd>
    </>
  );
}
