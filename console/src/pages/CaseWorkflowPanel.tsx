// The workflow of one case: status (a resolution when resolved), priority, due date, assignee,
// tags and notes, and its history rendered from structured entries with catalogue sentences.
import { useState, type FormEvent } from 'react';
import { knownLabel, useI18n } from '../i18n/i18n.tsx';
import { useApp } from '../lib/app-context.tsx';
import { useResource } from '../lib/useResource.ts';
import {
  CASE_PRIORITIES,
  CASE_RESOLUTIONS,
  CASE_STATUSES,
  addNote,
  caseTimeline,
  getWorkflow,
  updateWorkflow,
  type CasePriority,
  type CaseResolution,
  type CaseStatus,
  type CaseTimeline,
  type CaseWorkflow,
  type TimelineEntry,
  type WorkflowPatch,
} from '../api/cases.ts';
import { Panel, ResourceView, Badge } from '../components/ui.tsx';
import { Assignee, StatusBadge } from '../components/CaseBadges.tsx';
import { Link } from '../lib/router.tsx';
import { formatNumber, formatTime } from '../lib/format.ts';
import { ApiError } from '../api/http.ts';
import type { MessageKey } from '../i18n/messages.ts';

export function CaseWorkflowPanel({ caseId }: { caseId: string }) {
  const { t } = useI18n();
  const [tick, setTick] = useState(0);
  const wf = useResource(() => getWorkflow(caseId), [caseId, tick]);
  const tl = useResource(() => caseTimeline(caseId), [caseId, tick]);
  const refresh = () => setTick((n) => n + 1);
  return (
    <div className="grid-2">
      <Panel title={t('wf.title')}>
        <ResourceView res={wf}>{(w) => <WorkflowForm key={JSON.stringify(w)} w={w} onSaved={refresh} />}</ResourceView>
      </Panel>
      <Panel title={t('wf.history')}>
        <ResourceView res={tl}>{(x) => <History tl={x} />}</ResourceView>
      </Panel>
    </div>
  );
}

function WorkflowForm({ w, onSaved }: { w: CaseWorkflow; onSaved(): void }) {
  const { t } = useI18n();
  const { session } = useApp();
  const [status, setStatus] = useState<CaseStatus>(w.status);
  const [resolution, setResolution] = useState<CaseResolution | ''>(w.resolution ?? '');
  const [priority, setPriority] = useState<CasePriority>(w.priority);
  const [due, setDue] = useState(w.dueAt ? w.dueAt.slice(0, 10) : '');
  const [keyName, setKeyName] = useState(w.assignee && 'keyName' in w.assignee ? w.assignee.keyName : '');
  const [tags, setTags] = useState(w.tags.join(', '));
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (status === 'resolved' && !resolution) {
      setError(t('wf.resolutionRequired'));
      return;
    }
    const patch: WorkflowPatch = {
      status,
      ...(status === 'resolved' && resolution ? { resolution } : {}),
      priority,
      dueAt: due ? new Date(`${due}T23:59:59Z`).toISOString() : null,
      tags: tags
        .split(/[,，]/)
        .map((x) => x.trim())
        .filter(Boolean),
      ...(note.trim() ? { note: note.trim() } : {}),
    };
    const principalAssigned = w.assignee && 'principalId' in w.assignee;
    if (!principalAssigned || keyName) patch.assignee = keyName.trim() ? { keyName: keyName.trim() } : null;
    setBusy(true);
    setError(null);
    try {
      await updateWorkflow(w.id, patch);
      onSaved();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
      setBusy(false);
    }
  };
  const noteOnly = async () => {
    if (!note.trim()) return;
    setBusy(true);
    try {
      await addNote(w.id, note.trim());
      onSaved();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
      setBusy(false);
    }
  };
  return (
    <form className="wf-form" onSubmit={save}>
      <p>
        <StatusBadge status={w.status} resolution={w.resolution} /> <Assignee c={w} />
      </p>
      <label>
        {t('wf.status')}
        <select value={status} onChange={(e) => setStatus(e.target.value as CaseStatus)}>
          {CASE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`case.status.${s}`)}
            </option>
          ))}
        </select>
      </label>
      {status === 'resolved' && (
        <label>
          {t('wf.resolution')}
          <select
            aria-invalid={error === t('wf.resolutionRequired') || undefined}
            value={resolution}
            onChange={(e) => setResolution(e.target.value as CaseResolution | '')}
          >
            <option value="">{t('wf.resolution.choose')}</option>
            {CASE_RESOLUTIONS.map((r) => (
              <option key={r} value={r}>
                {t(`case.resolution.${r}`)}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        {t('wf.priority')}
        <select value={priority} onChange={(e) => setPriority(e.target.value as CasePriority)}>
          {CASE_PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {t(`case.priority.${p}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('wf.due')}
        <input type="date" value={due} onChange={(e) => setDue(e.target.value)} />
      </label>
      <label>
        {t('wf.assignee.key')}
        <span className="inline-field">
          <input value={keyName} onChange={(e) => setKeyName(e.target.value)} />
          <button type="button" className="btn btn-small" onClick={() => setKeyName(session.keyName ?? '')}>
            {t('wf.assignee.me')}
          </button>
        </span>
      </label>
      <label>
        {t('wf.tags')} <span className="muted">({t('wf.tags.hint')})</span>
        <input value={tags} onChange={(e) => setTags(e.target.value)} />
      </label>
      <label>
        {t('wf.note')}
        <textarea rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      {error && (
        <div className="state state-error" role="alert">
          {error}
        </div>
      )}
      <div className="wf-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('wf.saving') : t('wf.save')}
        </button>
        <button type="button" className="btn" disabled={busy || !note.trim()} onClick={() => void noteOnly()}>
          {t('wf.note.add')}
        </button>
      </div>
    </form>
  );
}

/** A history entry as a sentence from the catalogue; values (statuses, resolutions…) translated too. */
export function entrySentence(
  e: TimelineEntry,
  t: (k: MessageKey, v?: Record<string, string | number>) => string,
  names: Record<string, string>,
  lang: 'zh-CN' | 'en',
): string {
  const by = e.by ? (e.by.principalId ? (names[e.by.principalId] ?? e.by.keyName ?? e.by.principalId) : (e.by.keyName ?? '')) : t('wf.system');
  const assignee = (v: string | null | undefined) => (!v ? '' : v.startsWith('principal:') ? (names[v.slice(10)] ?? v.slice(10)) : v.replace(/^key:/, ''));
  const resolution = (v: unknown) => (typeof v === 'string' ? knownLabel(t, 'case.resolution.', v) : '');
  switch (e.type) {
    case 'investigation':
      return t('wf.h.investigation', { verdict: knownLabel(t, 'inv.verdict.', e.verdict ?? ''), victims: formatNumber(e.victims ?? 0, lang) });
    case 'incident':
      return t('wf.h.incident', {
        state: knownLabel(t, 'incident.state.', e.state ?? ''),
        principals: (e.principalIds ?? []).map((p) => names[p] ?? p).join('、'),
      });
    case 'merge':
      return t('wf.h.merge');
    case 'split':
      return t('wf.h.split');
  }
  switch (e.kind) {
    case 'status':
      return e.to === 'resolved'
        ? t('wf.h.resolved', { by, resolution: resolution(e.detail?.resolution) })
        : t('wf.h.status', { by, from: knownLabel(t, 'case.status.', e.from ?? ''), to: knownLabel(t, 'case.status.', e.to ?? '') });
    case 'priority':
      return t('wf.h.priority', { by, from: knownLabel(t, 'case.priority.', e.from ?? ''), to: knownLabel(t, 'case.priority.', e.to ?? '') });
    case 'due':
      return e.to ? t('wf.h.due', { by, to: formatTime(e.to, lang) }) : t('wf.h.dueCleared', { by });
    case 'assignee':
      return e.to ? t('wf.h.assignee', { by, to: assignee(e.to) }) : t('wf.h.unassigned', { by });
    case 'tags':
      return t('wf.h.tags', { by, to: (JSON.parse(e.to ?? '[]') as string[]).join('、') || '—' });
    case 'note':
      return t('wf.h.note', { by });
    case 'reopened':
      return t('wf.h.reopened', { resolution: resolution(e.detail?.previousResolution) });
    default:
      return t('wf.h.kept');
  }
}

function History({ tl }: { tl: CaseTimeline }) {
  const { t, lang } = useI18n();
  if (!tl.entries.length) return <p className="muted">{t('state.empty')}</p>;
  return (
    <ol className="timeline wf-history">
      {[...tl.entries].reverse().map((e, i) => (
        <li key={`${e.at}-${i}`}>
          <time dateTime={e.at}>{formatTime(e.at, lang)}</time>
          <span>{entrySentence(e, t, tl.principals, lang)}</span>
          {e.note && <blockquote>{e.note}</blockquote>}
          {e.type === 'investigation' && e.ref && (
            <Link to={`/investigations/${encodeURIComponent(e.ref)}`} className="mono">
              {e.ref}
            </Link>
          )}
          {e.type === 'incident' && e.ref && (
            <Link to={`/incidents/${encodeURIComponent(e.ref)}`} className="mono">
              {e.ref}
            </Link>
          )}
          {(e.type === 'merge' || e.type === 'split') && e.ref && <Badge>{e.ref}</Badge>}
        </li>
      ))}
    </ol>
  );
}
