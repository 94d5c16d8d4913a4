import { useMemo, useState } from 'react';
import { useI18n, knownLabel } from '../i18n/i18n.tsx';
import { useApp } from '../lib/app-context.tsx';
import { useResource } from '../lib/useResource.ts';
import { caseExports, caseReports, getCase, getReport, toMinor, type CaseReport, type CaseStats, type Counted, type ReportView } from '../api/reports.ts';
import { startInvestigation } from '../api/investigations.ts';
import { PageHeader, Panel, ResourceView, Badge } from '../components/ui.tsx';
import { Table } from '../components/DataTable.tsx';
import { Chart } from '../components/Chart.tsx';
import { useRouter, Link } from '../lib/router.tsx';
import { formatMoney, formatNumber, formatTime } from '../lib/format.ts';
import { GRAPH_CATEGORIES, GRAPH_COLORS, indicatorGraph, indicatorsFromReports } from './charts.ts';
import { ApiError } from '../api/http.ts';
import { CaseWorkflowPanel } from './CaseWorkflowPanel.tsx';
import { KindLabel, TierBadge } from '../components/CaseBadges.tsx';

/** Reports whose indicators are drawn in the graph; a larger case shows its earliest ones. */
const GRAPH_REPORTS = 40;

interface CaseData {
  stats: CaseStats;
  reports: CaseReport[];
  views: ReportView[];
}

async function loadCase(id: string): Promise<CaseData> {
  const stats = await getCase(id);
  const reports = await caseReports(stats.id);
  const views = await Promise.all(reports.slice(0, GRAPH_REPORTS).map((r) => getReport(r.id)));
  return { stats, reports, views };
}

export function CasePage({ id }: { id: string }) {
  const { features } = useApp();
  const res = useResource(() => loadCase(id), [id], features.cases);
  return <ResourceView res={res}>{(c) => <CaseBody c={c} />}</ResourceView>;
}

function CaseBody({ c }: { c: CaseData }) {
  const { t, lang } = useI18n();
  const { features } = useApp();
  const { navigate } = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const s = c.stats;
  const refOf = useMemo(() => new Map(c.reports.map((r) => [r.id, r.reference])), [c.reports]);
  const graph = useMemo(() => indicatorGraph({ indicators: indicatorsFromReports(c.views) }, (r) => refOf.get(r) ?? r), [c.views, refOf]);
  const links = caseExports(s.id);
  const investigate = async () => {
    setBusy(true);
    setError(null);
    try {
      const inv = await startInvestigation({ caseId: s.id });
      navigate(`/investigations/${encodeURIComponent(inv.id)}`);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      setBusy(false);
    }
  };
  const money = (major: number, currency = s.loss.currency) => formatMoney(toMinor(major), currency, lang);
  return (
    <>
      <PageHeader
        title={s.id}
        lead={`${formatNumber(s.reports, lang)} ${t('cases.col.reports')} · ${formatNumber(s.victims, lang)} ${t('cases.col.victims')} · ${money(s.loss.total)}`}
        actions={
          <>
            <span className="export-links" aria-label={t('case.exports')}>
              <a className="btn btn-ghost" href={links.csv} download>
                {t('case.export.csvAll')}
              </a>
              <a className="btn btn-ghost" href={links.stix} download>
                {t('case.export.stix')}
              </a>
              <a className="btn btn-ghost" href={links.police} target="_blank" rel="noopener">
                {t('case.export.police')}
              </a>
            </span>
            <button type="button" className="btn btn-primary" disabled={busy || !features.investigations} onClick={() => void investigate()}>
              {busy ? t('case.investigating') : t('case.investigate')}
            </button>
          </>
        }
      />
      {error && (
        <div className="state state-error" role="alert">
          {error}
        </div>
      )}
      <CaseWorkflowPanel caseId={s.id} />
      <div className="grid-2">
        <Panel title={t('case.stats')}>
          <dl className="kv">
            <dt>{t('overview.totalLoss')}</dt>
            <dd>{s.lossByCurrency.length > 1 ? s.lossByCurrency.map((l) => money(l.total, l.currency)).join(' · ') : money(s.loss.total)}</dd>
            <dt>{t('overview.medianLoss')}</dt>
            <dd>{money(s.loss.median)}</dd>
            <dt>{t('case.maxLoss')}</dt>
            <dd>{money(s.loss.max)}</dd>
            <dt>{t('case.contactRange')}</dt>
            <dd>
              {formatTime(s.firstContact, lang)} – {formatTime(s.lastContact, lang)}
            </dd>
            <CountedKV label={t('case.byChannel')} counts={s.byChannel} name={(v) => knownLabel(t, 'report.channel.', v)} />
            <CountedKV label={t('case.byMethod')} counts={s.byPaymentMethod} name={(v) => knownLabel(t, 'report.method.', v)} />
            <CountedKV label={t('case.byScript')} counts={s.byScript} name={(v) => knownLabel(t, 'report.script.', v)} />
            <CountedKV label={t('case.byKnew')} counts={s.knewFields} name={(v) => knownLabel(t, 'report.knew.', v)} />
          </dl>
        </Panel>
        <Panel title={t('case.moneyPath')}>
          <Table
            rows={s.topPayees}
            rowKey={(_, i) => i}
            columns={[
              {
                header: t('case.payee'),
                cell: (m) => (
                  <>
                    {m.payee} {m.account && m.account !== m.payee && <span className="muted mono">{m.account}</span>}{' '}
                    <span className="muted">{m.institution ?? ''}</span>
                  </>
                ),
              },
              { header: t('case.payments'), cell: (m) => formatNumber(m.payments, lang), num: true },
              { header: t('case.amount'), cell: (m) => money(m.amount, m.currency), num: true },
            ]}
          />
        </Panel>
      </div>
      <Panel title={t('case.indicators')}>
        <Chart
          label={t('case.indicators')}
          // the drawing grows with the graph (a ring of 40 reports needs more than a ring of 4),
          // within what one screen shows; the width follows the panel
          height={Math.min(640, Math.max(320, 160 + graph.nodes.length * 16))}
          option={{
            tooltip: {},
            color: GRAPH_COLORS,
            // The legend sits above the drawing, which keeps its own box below it: no label is covered.
            legend: { data: GRAPH_CATEGORIES.map((k) => t(`case.node.${k}`)), top: 0, type: 'scroll' },
            series: [
              {
                type: 'graph',
                layout: 'force',
                roam: true,
                draggable: true,
                force: { repulsion: 320, edgeLength: [70, 140], gravity: 0.08 },
                top: 48,
                bottom: 16,
                left: 16,
                right: 96,
                categories: GRAPH_CATEGORIES.map((k) => ({ name: t(`case.node.${k}`) })),
                data: graph.nodes,
                links: graph.links,
                label: { show: true, position: 'right', fontSize: 11 },
              },
            ],
          }}
        />
        <Table
          caption={t('case.topIndicators')}
          rows={s.topIndicators}
          rowKey={(i) => `${i.kind}:${i.value}`}
          columns={[
            { header: t('case.node.report'), cell: (i) => formatNumber(i.reports, lang), num: true },
            {
              header: t('cases.col.indicator'),
              cell: (i) => (
                <>
                  <KindLabel kind={i.kind} /> <span className="mono">{i.value}</span>
                </>
              ),
            },
            { header: t('case.col.tier'), cell: (i) => <TierBadge tier={i.tier} /> },
          ]}
        />
      </Panel>
      {(s.merges.length > 0 || s.splits.length > 0 || s.splitFrom) && (
        <Panel title={t('case.history')}>
          <ul className="case-history">
            {s.splitFrom && (
              <li>
                {t('case.history.splitFrom')}{' '}
                <Link to={`/cases/${encodeURIComponent(s.splitFrom)}`} className="mono">
                  {s.splitFrom}
                </Link>
              </li>
            )}
            {s.merges.map((m) => (
              <li key={`m-${m.from}-${m.at}`}>
                <time dateTime={m.at}>{formatTime(m.at, lang)}</time> <Badge tone="neutral">{t('case.history.merge')}</Badge>{' '}
                <span className="mono">{m.from}</span> · {knownLabel(t, 'indicator.kind.', m.via)}
              </li>
            ))}
            {s.splits.map((x) => (
              <li key={`s-${x.into}`}>
                <time dateTime={x.at}>{formatTime(x.at, lang)}</time> <Badge tone="warn">{t('case.history.split')}</Badge>{' '}
                <Link to={`/cases/${encodeURIComponent(x.from === s.id ? x.into : x.from)}`} className="mono">
                  {x.from === s.id ? x.into : x.from}
                </Link>{' '}
                · {formatNumber(x.reports, lang)} {t('cases.col.reports')} · {t('case.history.via')} <span className="mono">{x.viaValue}</span> (
                {t(x.reason === 'count' ? 'case.history.reason.count' : 'case.history.reason.bridge')})
              </li>
            ))}
          </ul>
        </Panel>
      )}
      <Panel title={t('case.timeline')}>
        <ol className="timeline">
          {c.reports.map((r) => (
            <li key={r.id} className={r.loss > 0 ? 'tl-loss' : 'tl-contact'}>
              <time dateTime={r.contactAt}>{formatTime(r.contactAt, lang)}</time>
              <Badge tone={r.loss > 0 ? 'bad' : 'warn'}>{t(r.loss > 0 ? 'case.kind.loss' : 'case.kind.contact')}</Badge>
              <span>{knownLabel(t, 'report.channel.', r.channel)}</span>
              {r.loss > 0 && <strong>{money(r.loss, r.currency)}</strong>}
              <span className="muted mono">{r.reference}</span>
            </li>
          ))}
        </ol>
      </Panel>
    </>
  );
}

/** The translated label of a known enum value, or the value itself. */
function CountedKV({ label, counts, name }: { label: string; counts: Counted[]; name(v: string): string }) {
  const entries = [...counts].sort((a, b) => b.reports - a.reports);
  return (
    <>
      <dt>{label}</dt>
      <dd>{entries.length ? entries.map((e) => `${name(e.key)} ${e.reports}`).join(' · ') : '—'}</dd>
    </>
  );
}
