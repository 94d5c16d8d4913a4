// The rules behind the incident screens, kept apart from React so they can be tested alone: which
// actions a role may take in which state (the same rules as src/incidents/incidents.routes.ts and
// incidents.service.ts, so the console never offers a button the server would refuse), how far the
// notices have got, and the scope form's validation and payload.
import type { Role } from '../api/session.ts';
import type { Incident, NoticeProgress, ScopeEditInput, ScopeInput } from '../api/incidents.ts';
import type { MessageKey } from '../i18n/messages.ts';

export interface IncidentActions {
  editScope: boolean;
  contain: boolean;
  notify: boolean;
  close: boolean;
}

/**
 * Analysts and admins edit the scope until the incident is closed and contain an open one; only an
 * admin notifies (a contained incident, or a notified one whose scope grew since) and closes (a
 * notified incident, or a contained one that affects nobody).
 */
export function allowedActions(
  role: Role | undefined,
  inc: Pick<Incident, 'state' | 'affected'>,
  progress?: Pick<NoticeProgress, 'enqueued' | 'running'> | null,
): IncidentActions {
  const staff = role === 'admin' || role === 'analyst';
  const admin = role === 'admin';
  const notNotified = progress ? inc.affected - progress.enqueued : inc.affected;
  return {
    editScope: staff && inc.state !== 'closed',
    contain: staff && inc.state === 'open',
    notify: admin && !progress?.running && ((inc.state === 'contained' && inc.affected > 0) || (inc.state === 'notified' && notNotified > 0)),
    close: admin && (inc.state === 'notified' || (inc.state === 'contained' && inc.affected === 0)),
  };
}

/** How many customers a notify run would write to now (those without a notice yet). */
export function toNotify(inc: Pick<Incident, 'affected'>, progress?: Pick<NoticeProgress, 'enqueued'> | null): number {
  return Math.max(0, inc.affected - (progress?.enqueued ?? 0));
}

export interface NoticeSummary {
  /** Handed to a provider or settled: sent, delivered, failed, suppressed, unreachable. */
  handled: number;
  /** handled / affected, 0–100, rounded down so 100 means all. */
  percent: number;
  /** Still being enqueued or waiting in the outbox: the screen polls while this is true. */
  inProgress: boolean;
}

export function noticeSummary(p: NoticeProgress): NoticeSummary {
  const handled = p.sent + p.delivered + p.failed + p.suppressed + p.unreachable;
  const base = Math.max(p.affected, p.enqueued);
  const percent = base ? Math.min(100, Math.floor((handled / base) * 100)) : 0;
  return { handled, percent, inProgress: p.running || p.queued > 0 };
}

/** Progress matters once the incident is contained (notices can be written from then on). */
export const readsProgress = (inc: Pick<Incident, 'state'>) => inc.state !== 'open';

// --- the scope form -------------------------------------------------------------------------------

export interface ScopeForm {
  title: string;
  /** Principal ids, separated by commas, spaces or new lines. */
  principals: string;
  fields: string[];
  /** `<input type="datetime-local">` values, in the browser's time zone. */
  from: string;
  to: string;
  reason: string;
}
export type ScopeFormField = keyof ScopeForm | 'window';
export type ScopeErrors = Partial<Record<ScopeFormField, MessageKey>>;

const pad = (n: number) => String(n).padStart(2, '0');
/** ISO time → the value a datetime-local input shows (local time, minutes). */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
/** A datetime-local value → ISO (UTC), or null when it is not a time. */
export function fromLocalInput(v: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export const parsePrincipals = (s: string) => [
  ...new Set(
    s
      .split(/[\s,，、]+/)
      .map((x) => x.trim())
      .filter(Boolean),
  ),
];

export function formFromIncident(inc: Pick<Incident, 'title' | 'principalIds' | 'fields' | 'from' | 'to'>): ScopeForm {
  return {
    title: inc.title,
    principals: inc.principalIds.join(', '),
    fields: [...inc.fields],
    from: toLocalInput(inc.from),
    to: toLocalInput(inc.to),
    reason: '',
  };
}

/** Checks what the server's schema checks (CreateIncident / ScopeEdit), so a bad form makes no request. */
export function validateScope(f: ScopeForm, need: { title?: boolean; reason?: boolean }): { errors: ScopeErrors; scope: ScopeInput | null } {
  const errors: ScopeErrors = {};
  const principalIds = parsePrincipals(f.principals);
  if (!principalIds.length) errors.principals = 'incident.form.required';
  else if (principalIds.length > 100) errors.principals = 'incident.form.tooManyPrincipals';
  else if (principalIds.some((p) => p.length > 128)) errors.principals = 'incident.form.principalTooLong';
  if (!f.fields.length) errors.fields = 'incident.form.required';
  const from = fromLocalInput(f.from);
  const to = fromLocalInput(f.to);
  if (!from) errors.from = 'incident.form.required';
  if (!to) errors.to = 'incident.form.required';
  if (from && to && Date.parse(from) > Date.parse(to)) errors.window = 'incident.form.fromAfterTo';
  if (need.title) {
    if (!f.title.trim()) errors.title = 'incident.form.required';
    else if (f.title.trim().length > 300) errors.title = 'incident.form.tooLong';
  }
  if (need.reason) {
    const r = f.reason.trim();
    if (r.length < 3) errors.reason = 'incident.form.reasonRequired';
    else if (r.length > 500) errors.reason = 'incident.form.tooLong';
  }
  const ok = Object.keys(errors).length === 0;
  return { errors, scope: ok ? { principalIds, fields: [...f.fields], from: from!, to: to! } : null };
}

/**
 * The PATCH body: the reason and only what changed. A window bound the user did not touch is left
 * out, since the input shows minutes and sending it back would cut seconds off the stored window.
 */
export function scopeEditPayload(initial: ScopeForm, f: ScopeForm, scope: ScopeInput): ScopeEditInput {
  const body: ScopeEditInput = { reason: f.reason.trim() };
  const same = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
  if (!same(parsePrincipals(initial.principals), scope.principalIds)) body.principalIds = scope.principalIds;
  if (!same(initial.fields, scope.fields)) body.fields = scope.fields;
  if (f.from !== initial.from) body.from = scope.from;
  if (f.to !== initial.to) body.to = scope.to;
  return body;
}

/** Counts by key, largest first, for a bar chart (names and values in the same order). */
export function countBars(counts: Record<string, number>, limit = 20): { names: string[]; values: number[] } {
  const rows = Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit);
  return { names: rows.map((r) => r[0]), values: rows.map((r) => r[1]) };
}
