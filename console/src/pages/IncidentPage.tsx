// One incident: its state and transitions (who, when, why), scope with counts by field and by
// province, containment record, notification progress (polled while notices are in flight), the
// actions this role may take in this state, and the regulator report and post-mortem downloads.
import { Fragment, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { useApp } from '../lib/app-context.tsx';
import { useResource } from '../lib/useResource.ts';
import { Link } from '../lib/router.tsx';
import { formatNumber, formatTime } from '../lib/format.ts';
import {
  affectedCustomers,
  closeIncident,
  containIncident,
  editScope,
  fetchReport,
  getIncident,
  noticeProgress,
  notifyIncident,
  reportFileName,
  type IncidentDetail,
  type IncidentEvent,
  type IncidentState,
  type NoticeProgress,
  type ReportFormat,
  type ReportKind,
} from '../api/incidents.ts';
import { Badge, Empty, PageHeader, Panel, ResourceView } from '../components/ui.tsx';
import { Chart } from '../components/Chart.tsx';
import { ProblemAlert } from '../components/ProblemAlert.tsx';
import { IncidentScopeForm, fieldLabel } from './IncidentScopeForm.tsx';
import { allowedActions, countBars, formFromIncident, noticeSummary, readsProgress, scopeEditPayload, toNotify } from './incident-logic.ts';
import type { MessageKey } from '../i18n/messages.ts';

/** How often the notice progress is read while notices are being written or sent. */
export const PROGRESS_POLL_MS = 2000;

const STATE_TONE: Record<IncidentState, 'bad' | 'warn' | 'info' | 'neutral'> = { open: 'bad', contained: 'warn', notified: 'info', closed: 'neutral' };
export function StateBadge({ state }: { state: IncidentState }) {
  const { t } = useI18n();
  return <Badge tone={STATE_TONE[state] ?? 'neutral'}>{t(`incident.state.${state}` as MessageKey)}</Badge>;
}

export function IncidentPage({ id }: { id: string }) {
  const { features } = useApp();
  const res = useResource(() => getIncident(id), [id], features.incidents);
  return <ResourceView res={res}>{(inc) => <IncidentBody key={inc.id} initial={inc} />}</ResourceView>;
}

/** Reads the progress once, and again every PROGRESS_POLL_MS while notices are in flight. */
function useNoticeProgress(id: string, enabled: boolean, nudge: number) {
  const [progress, setProgress] = useState<NoticeProgress | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = () =>
      noticeProgress(id).then(
        (p) => {
          if (!live) return;
          setProgress(p);
          setError(null);
          if (noticeSummary(p).inProgress) timer = setTimeout(read, PROGRESS_POLL_MS);
        },
        (e) => live && setError(e),
      );
    void read();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [id, enabled, nudge]);
  return { progress, error };
}

/** A message for a server-sent value (source, webhook status, event kind), or the value itself when it is new. */
function useLabel() {
  const { t } = useI18n();
  return (prefix: string, value: string) => {
    const key = `${prefix}.${value}` as MessageKey;
    const s = t(key);
    return s === key ? value : s;
  };
}

type Confirm = null | 'contain' | 'notify' | 'close';

function IncidentBody({ initial }: { initial: IncidentDetail }) {
  const { t, lang } = useI18n();
  const label = useLabel();
  const { session } = useApp();
  const [inc, setInc] = useState(initial);
  const [editing, setEditing] = useState(false);
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [closeReason, setCloseReason] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [nudge, setNudge] = useState(0);
  const [done, setDone] = useState<string | null>(null);
  const { progress, error: progressError } = useNoticeProgress(inc.id, readsProgress(inc), nudge);
  // A notify run goes on in the background after its 202; when it has written notices while the
  // page still shows "contained", read the incident again (once per count) to show "notified".
  const reread = useRef(-1);
  useEffect(() => {
    if (!progress || progress.running || !progress.enqueued || inc.state !== 'contained' || reread.current === progress.enqueued) return;
    reread.current = progress.enqueued;
    getIncident(inc.id).then(setInc, setError);
  }, [progress, inc.state, inc.id]);
  const can = allowedActions(session.role, inc, progress);
  const pending = toNotify(inc, progress);

  /** Runs an action, then reads the incident again (its timeline has the new transition). */
  const run = useCallback(
    async (name: string, action: () => Promise<unknown>, doneMsg: MessageKey) => {
      setBusy(name);
      setError(null);
      setDone(null);
      try {
        await action();
        setInc(await getIncident(inc.id));
        setNudge((n) => n + 1);
        setConfirm(null);
        setEditing(false);
        setDone(t(doneMsg));
      } catch (e) {
        setError(e);
      } finally {
        setBusy(null);
      }
    },
    [inc.id, t],
  );

  const download = async (kind: ReportKind, format: ReportFormat) => {
    setBusy(`report-${kind}-${format}`);
    setError(null);
    try {
      const blob = await fetchReport(inc.id, kind, format);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = reportFileName(inc.id, kind, format);
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const form = useMemo(() => formFromIncident(inc), [inc]);
  const fieldBars = useMemo(() => countBars(inc.counts.byField), [inc.counts.byField]);
  const provinceBars = useMemo(() => countBars(inc.counts.byProvince), [inc.counts.byProvince]);

  return (
    <>
      <PageHeader
        title={inc.title}
        lead={`${inc.id} · ${t('incident.source')}: ${label('incident.source', inc.source)}`}
        actions={
          <>
            <StateBadge state={inc.state} />
            <Link to="/incidents" className="btn btn-small">
              {t('incident.back')}
            </Link>
          </>
        }
      />
      <ProblemAlert error={error} onDismiss={() => setError(null)} />
      {done && (
        <div className="state state-done" role="status">
          {done}
        </div>
      )}

      <Panel title={t('incident.actions')} className="incident-actions">
        <div className="action-row">
          {can.editScope && (
            <button type="button" className="btn" aria-expanded={editing} onClick={() => setEditing((x) => !x)}>
              {t('incident.action.editScope')}
            </button>
          )}
          {can.contain && (
            <button type="button" className="btn btn-primary" onClick={() => setConfirm('contain')}>
              {t('incident.action.contain')}
            </button>
          )}
          {can.notify && (
            <button type="button" className="btn btn-primary" onClick={() => setConfirm('notify')}>
              {t('incident.action.notify')}
            </button>
          )}
          {can.close && (
            <button type="button" className="btn btn-danger" onClick={() => setConfirm('close')}>
              {t('incident.action.close')}
            </button>
          )}
          {!can.editScope && !can.contain && !can.notify && !can.close && <span className="muted">{t('incident.noActions')}</span>}
        </div>
        {session.role !== 'admin' && (inc.state === 'contained' || inc.state === 'notified') && <p className="hint">{t('incident.adminOnly')}</p>}
        <div className="action-row downloads" role="group" aria-label={t('incident.reports')}>
          <span className="muted">{t('incident.reports')}:</span>
          {(['regulator', 'postmortem'] as const).map((kind) =>
            (['md', 'pdf'] as const).map((format) => (
              <button
                key={`${kind}-${format}`}
                type="button"
                className="btn btn-small"
                disabled={busy === `report-${kind}-${format}`}
                onClick={() => void download(kind, format)}
              >
                {t(`incident.report.${kind}` as MessageKey)} · {format === 'md' ? 'Markdown' : 'PDF'}
              </button>
            )),
          )}
        </div>
        {confirm && (
          <div
            className="confirm"
            role="alertdialog"
            aria-labelledby="confirm-title"
            aria-describedby="confirm-body"
            onKeyDown={(e) => e.key === 'Escape' && setConfirm(null)}
          >
            <h3 id="confirm-title">{t(`incident.confirm.${confirm}.title` as MessageKey)}</h3>
            <p id="confirm-body">
              {confirm === 'contain' && t('incident.confirm.contain.body', { principals: inc.principalIds.join(', ') })}
              {confirm === 'notify' && t('incident.confirm.notify.body', { count: formatNumber(pending, lang) })}
              {confirm === 'close' && t('incident.confirm.close.body')}
            </p>
            {confirm === 'close' && (
              <label className="confirm-reason">
                {t('incident.form.closeReason')}
                <textarea rows={2} maxLength={500} value={closeReason} onChange={(e) => setCloseReason(e.target.value)} />
              </label>
            )}
            <div className="form-actions">
              <button
                type="button"
                className={confirm === 'close' ? 'btn btn-danger' : 'btn btn-primary'}
                disabled={busy !== null}
                onClick={() =>
                  void (confirm === 'contain'
                    ? run('contain', () => containIncident(inc.id), 'incident.done.contain')
                    : confirm === 'notify'
                      ? run('notify', () => notifyIncident(inc.id), 'incident.done.notify')
                      : run('close', () => closeIncident(inc.id, closeReason.trim()), 'incident.done.close'))
                }
              >
                {busy ? t('incident.busy') : t(`incident.confirm.${confirm}.yes` as MessageKey, { count: formatNumber(pending, lang) })}
              </button>
              {/* focus lands on "cancel": an irreversible step is never one stray Enter away */}
              <button type="button" className="btn" autoFocus onClick={() => setConfirm(null)}>
                {t('incident.form.cancel')}
              </button>
            </div>
          </div>
        )}
        {editing && (
          <IncidentScopeForm
            initial={form}
            mode="edit"
            busy={busy === 'scope'}
            onCancel={() => setEditing(false)}
            onSubmit={(f, scope) => void run('scope', () => editScope(inc.id, scopeEditPayload(form, f, scope)), 'incident.done.scope')}
          />
        )}
      </Panel>

      <div className="grid-2">
        <Panel title={t('incident.scope')}>
          <dl className="kv">
            <dt>{t('incident.principals')}</dt>
            <dd className="mono">{inc.principalIds.join(', ')}</dd>
            <dt>{t('incident.window')}</dt>
            <dd>
              {formatTime(inc.from, lang)} – {formatTime(inc.to, lang)}
            </dd>
            <dt>{t('incident.fields')}</dt>
            <dd>{inc.fields.map((f) => fieldLabel(t, f)).join('、') || '—'}</dd>
            <dt>{t('incident.affected')}</dt>
            <dd>
              <strong data-testid="affected">{formatNumber(inc.affected, lang)}</strong>
            </dd>
            {inc.source === 'investigation' && inc.sourceRef && (
              <>
                <dt>{t('incident.source.investigation')}</dt>
                <dd>
                  <Link to={`/investigations/${encodeURIComponent(inc.sourceRef)}`}>{inc.sourceRef}</Link>
                </dd>
              </>
            )}
          </dl>
        </Panel>
        <Panel title={t('incident.containment')}>
          {inc.containment ? (
            <dl className="kv" data-testid="containment">
              <dt>{t('incident.containment.keys')}</dt>
              <dd>{formatNumber(inc.containment.keysRevoked, lang)}</dd>
              <dt>{t('incident.containment.frozen')}</dt>
              <dd className="mono">{inc.containment.frozenPrincipals.join(', ') || '—'}</dd>
              <dt>{t('incident.containment.webhook')}</dt>
              <dd>
                <Badge tone={inc.containment.webhook.status === 'sent' ? 'good' : inc.containment.webhook.status === 'failed' ? 'bad' : 'neutral'}>
                  {label('incident.webhook', inc.containment.webhook.status)}
                </Badge>
                {inc.containment.webhook.httpStatus !== undefined && <span className="mono"> HTTP {inc.containment.webhook.httpStatus}</span>}
                {inc.containment.webhook.error && <span className="muted"> {inc.containment.webhook.error}</span>}
              </dd>
              <dt>{t('incident.containment.at')}</dt>
              <dd>{formatTime(new Date(inc.containment.webhook.at).toISOString(), lang)}</dd>
            </dl>
          ) : (
            <p className="muted">{t('incident.containment.none')}</p>
          )}
        </Panel>
      </div>

      <div className="grid-2">
        <CountsChart title={t('incident.byField')} bars={fieldBars} name={(f) => fieldLabel(t, f)} series={t('incident.affected')} />
        <CountsChart title={t('incident.byProvince')} bars={provinceBars} name={(p) => p} series={t('incident.affected')} color="#475569" />
      </div>

      <Panel title={t('incident.notices')}>
        <ProblemAlert error={progressError} />
        {progress ? <NoticeProgressView p={progress} /> : <p className="muted">{readsProgress(inc) ? t('state.loading') : t('incident.notices.none')}</p>}
      </Panel>

      <Panel title={t('incident.timeline')}>
        <ol className="timeline incident-timeline">
          {inc.events.map((e, i) => (
            <TimelineItem key={i} e={e} />
          ))}
        </ol>
      </Panel>

      <AffectedCustomers id={inc.id} total={inc.affected} version={inc.updatedAt} />
    </>
  );
}

/** Affected customers counted by one key (field or province), as horizontal bars. */
function CountsChart({
  title,
  bars,
  name,
  series,
  color,
}: {
  title: string;
  bars: { names: string[]; values: number[] };
  name(key: string): string;
  series: string;
  color?: string;
}) {
  const names = bars.names.map(name);
  return (
    <Panel title={title}>
      {names.length ? (
        <Chart
          label={`${title}: ${names.map((n, i) => `${n} ${bars.values[i]}`).join(', ')}`}
          height={Math.max(160, names.length * 30 + 50)}
          option={{
            grid: { left: 110, right: 24, top: 10, bottom: 24 },
            tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
            xAxis: { type: 'value', minInterval: 1 },
            yAxis: { type: 'category', inverse: true, data: names },
            series: [{ type: 'bar', name: series, data: bars.values, ...(color ? { itemStyle: { color } } : {}) }],
          }}
        />
      ) : (
        <Empty />
      )}
    </Panel>
  );
}

function NoticeProgressView({ p }: { p: NoticeProgress }) {
  const { t, lang } = useI18n();
  const s = noticeSummary(p);
  const n = (v: number) => formatNumber(v, lang);
  return (
    <div data-testid="notice-progress">
      <div
        className="progress"
        role="progressbar"
        aria-label={t('incident.notices')}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={s.percent}
        aria-valuetext={`${s.percent}%`}
      >
        <span style={{ width: `${s.percent}%` }} />
      </div>
      <p role="status">
        {s.inProgress
          ? t('incident.notices.running', { percent: s.percent })
          : p.enqueued
            ? t('incident.notices.settled', { percent: s.percent })
            : t('incident.notices.none')}
      </p>
      <dl className="kv kv-inline">
        <dt>{t('incident.notices.enqueued')}</dt>
        <dd>
          {n(p.enqueued)} / {n(p.affected)}
        </dd>
        {(['queued', 'sent', 'delivered', 'failed', 'suppressed', 'unreachable', 'retrying', 'retries'] as const).map((k) => (
          <Fragment key={k}>
            <dt>{t(`incident.notices.${k}`)}</dt>
            <dd className={(k === 'failed' || k === 'unreachable') && p[k] ? 'text-bad' : undefined}>{n(p[k])}</dd>
          </Fragment>
        ))}
      </dl>
    </div>
  );
}

function TimelineItem({ e }: { e: IncidentEvent }) {
  const { t, lang } = useI18n();
  const label = useLabel();
  const d = e.detail ?? {};
  const num = (v: unknown) => (typeof v === 'number' ? formatNumber(v, lang) : '—');
  let extra: string | null = null;
  if (e.kind === 'scope_edited') {
    const b = d.before as { affected?: number } | undefined;
    const a = d.after as { affected?: number } | undefined;
    extra = t('incident.event.affectedChange', { before: num(b?.affected), after: num(a?.affected) });
  } else if (e.kind === 'opened') extra = t('incident.event.affected', { n: num(d.affected) });
  else if (e.kind === 'contained') extra = t('incident.event.keys', { n: num(d.keysRevoked) });
  else if (e.kind === 'notified' || e.kind === 'notified_again') extra = t('incident.event.enqueued', { n: num(d.enqueued) });
  return (
    <li>
      <time dateTime={e.at}>{formatTime(e.at, lang)}</time>
      <strong>{label('incident.event', e.kind)}</strong>
      {e.fromState && e.toState && (
        <span>
          {label('incident.state', e.fromState)} → {label('incident.state', e.toState)}
        </span>
      )}
      <span className="muted">
        {t('incident.event.by')} <span className="mono">{e.byPrincipal ?? e.byName ?? e.byKey ?? t('incident.event.system')}</span>
      </span>
      {extra && <span>{extra}</span>}
      {e.reason && <q className="reason">{e.reason}</q>}
    </li>
  );
}

const PAGE = 50;
function AffectedCustomers({ id, total, version }: { id: string; total: number; version: string }) {
  const { t, lang } = useI18n();
  const [ids, setIds] = useState<string[]>([]);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(
    async (after: string | undefined) => {
      try {
        const r = await affectedCustomers(id, after, PAGE);
        setIds((x) => (after ? [...x, ...r.customerIds] : r.customerIds));
        setMore(r.customerIds.length === PAGE);
      } catch (e) {
        setError(e);
      }
    },
    [id],
  );
  useEffect(() => {
    void load(undefined);
  }, [load, version]);
  return (
    <Panel title={`${t('incident.customers')} (${formatNumber(total, lang)})`}>
      <ProblemAlert error={error} />
      {ids.length ? (
        <ul className="id-list">
          {ids.map((c) => (
            <li key={c} className="mono">
              {c}
            </li>
          ))}
        </ul>
      ) : (
        <Empty />
      )}
      {more && (
        <button type="button" className="btn btn-small" onClick={() => void load(ids.at(-1))}>
          {t('cases.more')}
        </button>
      )}
    </Panel>
  );
}
