import { useMemo, useState } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { useApp } from '../lib/app-context.tsx';
import { useResource } from '../lib/useResource.ts';
import {
  INVESTIGATIONS_PAGE,
  getInvestigation,
  listInvestigations,
  principalLabel,
  type InvestigationQuery,
  type InvestigationResult,
  type Suspect,
  type Verdict,
} from '../api/investigations.ts';
import { PageHeader, Panel, ResourceView, Badge, Empty } from '../components/ui.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { Chart } from '../components/Chart.tsx';
import { Link, useRouter } from '../lib/router.tsx';
import { formatLog10P, formatNumber, formatP, formatTime } from '../lib/format.ts';
import { suspectBars } from './charts.ts';
import { createIncident } from '../api/incidents.ts';
import { ProblemAlert } from '../components/ProblemAlert.tsx';
import { fieldList } from '../lib/labels.ts';

export function Investigations() {
  const { t, lang } = useI18n();
  const { features } = useApp();
  const [q, setQ] = useState<InvestigationQuery>({ sort: 'created', offset: 0 });
  const list = useResource(() => listInvestigations(q), [q.verdict, q.sort, q.offset], features.investigations);
  const offset = q.offset ?? 0;
  return (
    <>
      <PageHeader title={t('inv.title')} lead={t('inv.lead')} />
      <Panel title={t('inv.list')}>
        <div className="filters">
          <label>
            {t('inv.col.verdict')}
            <select value={q.verdict ?? ''} onChange={(e) => setQ({ ...q, offset: 0, verdict: (e.target.value || undefined) as Verdict | undefined })}>
              <option value="">{t('cases.filter.all')}</option>
              {VERDICTS.map((v) => (
                <option key={v} value={v}>
                  {t(`inv.verdict.${v as Verdict}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('cases.filter.sort')}
            <select value={q.sort} onChange={(e) => setQ({ ...q, offset: 0, sort: e.target.value as 'created' | 'victims' })}>
              <option value="created">{t('inv.col.created')}</option>
              <option value="victims">{t('inv.col.victims')}</option>
            </select>
          </label>
        </div>
        <DataTable
          res={list}
          rows={(d) => d}
          rowKey={(i) => i.id}
          empty={<p className="muted">{t('inv.none')}</p>}
          columns={[
            { header: t('inv.col.id'), cell: (i) => <Link to={`/investigations/${encodeURIComponent(i.id)}`}>{i.id}</Link> },
            { header: t('inv.col.verdict'), cell: (i) => (isVerdict(i.verdict) ? <VerdictBadge v={i.verdict} /> : i.verdict) },
            { header: t('inv.col.victims'), num: true, cell: (i) => formatNumber(i.victims, lang) },
            {
              header: t('cases.col.case'),
              cell: (i) =>
                i.caseId ? (
                  <Link to={`/cases/${encodeURIComponent(i.caseId)}`} className="mono">
                    {i.caseId}
                  </Link>
                ) : (
                  '—'
                ),
            },
            { header: t('inv.col.created'), cell: (i) => formatTime(i.createdAt, lang) },
          ]}
          footer={(page) => (
            <nav className="pager" aria-label={t('inv.list')}>
              <button
                type="button"
                className="btn btn-ghost btn-small"
                disabled={offset === 0}
                onClick={() => setQ({ ...q, offset: Math.max(0, offset - INVESTIGATIONS_PAGE) })}
              >
                {t('cases.prev')}
              </button>
              <button
                type="button"
                className="btn btn-ghost btn-small"
                disabled={page.length < INVESTIGATIONS_PAGE}
                onClick={() => setQ({ ...q, offset: offset + INVESTIGATIONS_PAGE })}
              >
                {t('cases.next')}
              </button>
            </nav>
          )}
        />
      </Panel>
    </>
  );
}

const VERDICTS: readonly string[] = ['attributed', 'inconclusive', 'consistent_with_account_takeover'] satisfies Verdict[];
const isVerdict = (v: string): v is Verdict => VERDICTS.includes(v);

function VerdictBadge({ v }: { v: Verdict }) {
  const { t } = useI18n();
  return <Badge tone={v === 'attributed' ? 'bad' : v === 'consistent_with_account_takeover' ? 'warn' : 'neutral'}>{t(`inv.verdict.${v}`)}</Badge>;
}

/** How robust a suspect is to reporters selected on its customers, in an analyst's words. */
export function BiasText({ gamma }: { gamma: number | undefined }) {
  const { t } = useI18n();
  if (gamma === undefined) return <>—</>;
  if (gamma >= 1e9) return <>{t('inv.bias.none')}</>;
  if (gamma <= 1) return <>{t('inv.bias.chance')}</>;
  return <>{t('inv.bias.needs', { g: gamma < 10 ? gamma.toFixed(1) : String(Math.round(gamma)) })}</>;
}

const pOf = (s: Suspect) => (s.log10AdjustedPValue !== undefined ? formatLog10P(s.log10AdjustedPValue) : formatP(s.adjustedPValue));
const keyOf = (s: Suspect) => s.principalId ?? `${s.kind}:${s.name}`;

export function InvestigationPage({ id }: { id: string }) {
  const { features } = useApp();
  const res = useResource(() => getInvestigation(id), [id], features.investigations);
  return <ResourceView res={res}>{(r) => <InvestigationBody r={r} />}</ResourceView>;
}

function InvestigationBody({ r }: { r: InvestigationResult }) {
  const { t, lang } = useI18n();
  const { features } = useApp();
  const { navigate } = useRouter();
  const bars = useMemo(() => suspectBars(r.suspects), [r.suspects]);
  const [selected, setSelected] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [opening, setOpening] = useState(false);
  const top = r.suspects[selected];
  // The server answers with the incident already open for this investigation, if any (idempotent).
  const incident = async () => {
    setOpening(true);
    setError(null);
    try {
      const inc = await createIncident({ investigationId: r.id });
      navigate(`/incidents/${encodeURIComponent(inc.id)}`);
    } catch (e) {
      setError(e);
      setOpening(false);
    }
  };
  return (
    <>
      <PageHeader
        title={`${t('inv.title')} · ${r.id}`}
        lead={investigationSummary(r, t, lang)}
        actions={
          <>
            <VerdictBadge v={r.verdict} />
            {r.verdict === 'attributed' && features.incidents && (
              <button type="button" className="btn btn-primary" disabled={opening} onClick={() => void incident()}>
                {t('inv.openIncident')}
              </button>
            )}
          </>
        }
      />
      <ProblemAlert error={error} onDismiss={() => setError(null)} />
      <Panel title={t('inv.suspects')}>
        {bars.names.length ? (
          <Chart
            label={t('inv.suspects')}
            height={Math.max(200, bars.names.length * 34 + 60)}
            option={{
              grid: { left: 140, right: 24, top: 28, bottom: 24 },
              tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
              legend: { data: [t('inv.chart.coverage'), t('inv.chart.expected')], top: 0 },
              xAxis: { type: 'value', max: bars.victims || undefined, minInterval: 1 },
              yAxis: { type: 'category', data: bars.names, inverse: true },
              series: [
                { name: t('inv.chart.coverage'), type: 'bar', data: bars.coverage, barGap: '10%' },
                { name: t('inv.chart.expected'), type: 'bar', data: bars.expected },
              ],
            }}
          />
        ) : (
          <Empty />
        )}
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('inv.col.principal')}</th>
              <th scope="col" className="num">
                {t('inv.col.coverage')}
              </th>
              <th scope="col" className="num">
                {t('inv.col.expected')}
              </th>
              <th scope="col" className="num">
                {t('inv.col.p')}
              </th>
              <th scope="col">{t('inv.col.robust')}</th>
            </tr>
          </thead>
          <tbody>
            {r.suspects.map((s, i) => (
              <tr key={`${keyOf(s)}-${s.round}`} className={i === selected ? 'selected' : undefined}>
                <td>
                  <button type="button" className="linklike" onClick={() => setSelected(i)} aria-pressed={i === selected}>
                    {principalLabel(s)}
                  </button>
                  {s.principalId === null && <Badge tone="neutral">{t('inv.group')}</Badge>}
                  {s.members && s.members.length > 0 && (
                    <ul className="group-members" aria-label={t('inv.members')}>
                      {s.members.map((m) => (
                        <li key={m.principalId} title={m.principalId}>
                          {m.name ?? m.principalId} <span className="muted">({formatNumber(m.covered, lang)})</span>
                        </li>
                      ))}
                    </ul>
                  )}
                  {s.status === 'attributed' && <Badge tone="bad">{t('inv.verdict.attributed')}</Badge>}
                  {s.status === 'associated' && <Badge tone="warn">{t('inv.status.associated')}</Badge>}
                  {s.readBurst && <Badge tone="neutral">{t('inv.readBurst')}</Badge>}
                </td>
                <td className="num">
                  {s.covered} / {s.tested}
                </td>
                <td className="num">{s.expectedCoverage.toFixed(1)}</td>
                <td className="num mono">{pOf(s)}</td>
                <td>
                  <BiasText gamma={s.selectionBiasToExplain} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {r.alphaSpent && r.alphaSpent.baseRateSampling > 0 && (
          <p className="muted">
            {t('inv.alphaSpent', {
              alpha: r.alphaSpent.alpha,
              tests: r.alphaSpent.tests.toPrecision(3),
              sampling: r.alphaSpent.baseRateSampling.toPrecision(3),
            })}
          </p>
        )}
        {r.alphaSpent && r.alphaSpent.readBursts > 0 && (
          <p className="muted">
            {t('inv.readBursts', {
              who: (r.readBursts ?? []).map(principalLabel).join('、'),
              share: r.alphaSpent.readBursts.toPrecision(3),
            })}
          </p>
        )}
      </Panel>
      {top && (
        <Panel title={`${t('inv.evidence')} · ${principalLabel(top)}`}>
          {top.status === 'associated' && <p className="muted">{t('inv.associatedHint')}</p>}
          <p>
            <BiasText gamma={top.selectionBiasToExplain} />
            {top.biasGuarded !== undefined && <> · {t('inv.bias.guarded', { g: top.biasGuarded })}</>}
          </p>
          {/* the two timing comparisons: the victims' own earlier quiet windows, then look-alikes at the same point of their order's life */}
          {(
            [
              ['inv.selfControlled', top.selfControlled],
              ['inv.timed', top.timed],
            ] as const
          ).map(
            ([key, c]) =>
              c &&
              c.informative > 0 && (
                <p key={key}>
                  {t(key, {
                    hit: c.inHazardWindow,
                    days: r.settings?.hazardDays ?? 3,
                    exp: c.expected.toFixed(1),
                    p: formatLog10P(c.log10PValue),
                  })}
                </p>
              ),
          )}
          {top.members && top.members.length > 0 && (
            <p>
              {t('inv.members')}: {top.members.map((m) => `${m.name ?? m.principalId} (${formatNumber(m.covered, lang)})`).join('、')}
            </p>
          )}
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('inv.evidence.victim')}</th>
                <th scope="col">{t('inv.evidence.access')}</th>
                <th scope="col">{t('inv.evidence.contact')}</th>
                <th scope="col">{t('inv.evidence.fields')}</th>
              </tr>
            </thead>
            <tbody>
              {top.evidence.map((e, i) => (
                <tr key={i}>
                  <td className="mono">{e.victim.customerId}</td>
                  <td>{e.reads.map((x) => formatTime(x.at, lang)).join(' · ') || '—'}</td>
                  <td>{formatTime(e.victim.contactAt, lang)}</td>
                  <td>{fieldList(t, [...new Set(e.reads.flatMap((x) => x.fields))])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
      )}
      <div className="grid-2">
        <Panel title={t('inv.notExcluded')}>
          <p className="muted">{t('inv.notExcludedHint')}</p>
          <ul className="plain">
            {r.notExcluded.map((n) => (
              <li key={n.principalId}>
                <strong>{principalLabel(n)}</strong> — {n.covered} / {n.tested}
                {n.reason && <> · {t(`inv.reason.${n.reason}`)}</>}
                {n.reason === 'associated' && (
                  <>
                    {' '}
                    (<BiasText gamma={n.selectionBiasToExplain} />)
                  </>
                )}{' '}
                {n.decideWith.length ? `· ${n.decideWith.join(', ')}` : ''}
              </li>
            ))}
          </ul>
        </Panel>
        <Panel title={t('inv.atRisk')}>
          <p>
            {t('inv.atRiskCount', {
              count: formatNumber(
                r.atRisk.reduce((n, a) => n + a.count, 0),
                lang,
              ),
            })}
          </p>
          <ul className="plain">
            {r.atRisk
              .flatMap((a) => a.customerIds)
              .slice(0, 20)
              .map((c) => (
                <li key={c}>
                  <span className="mono">{c}</span>
                </li>
              ))}
          </ul>
        </Panel>
      </div>
    </>
  );
}

/** The investigation's summary sentence, rendered from its structured result in the reader's language. */
export function investigationSummary(r: InvestigationResult, t: ReturnType<typeof useI18n>['t'], lang: ReturnType<typeof useI18n>['lang']): string {
  if (r.verdict === 'attributed') {
    const names = r.suspects
      .filter((s) => s.status === 'attributed')
      .map((s) =>
        t('inv.summary.suspect', {
          name: principalLabel(s),
          covered: formatNumber(s.covered, lang),
          tested: formatNumber(s.tested, lang),
          expected: s.expectedCoverage.toFixed(1),
        }),
      );
    return t('inv.summary.attributed', { names: names.join(t('inv.summary.and')) });
  }
  if (r.verdict === 'consistent_with_account_takeover')
    return t('inv.summary.takeover', { n: formatNumber(r.accountTakeover.victimsWithPattern, lang), of: formatNumber(r.victims.used, lang) });
  return t('inv.summary.inconclusive', { alpha: r.settings.alpha, bias: r.settings.minSelectionBias });
}
