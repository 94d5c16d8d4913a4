import { describe, expect, it } from 'vitest';
import {
  allowedActions,
  countBars,
  fromLocalInput,
  noticeSummary,
  parsePrincipals,
  scopeEditPayload,
  toLocalInput,
  toNotify,
  validateScope,
  type ScopeForm,
} from './incident-logic.ts';
import type { IncidentState, NoticeProgress } from '../api/incidents.ts';

const progress = (p: Partial<NoticeProgress>): NoticeProgress => ({
  affected: 10,
  enqueued: 0,
  queued: 0,
  sent: 0,
  delivered: 0,
  failed: 0,
  suppressed: 0,
  unreachable: 0,
  retrying: 0,
  retries: 0,
  running: false,
  ...p,
});
const on = (a: ReturnType<typeof allowedActions>) =>
  Object.entries(a)
    .filter(([, v]) => v)
    .map(([k]) => k)
    .sort();

describe('allowedActions', () => {
  const states: IncidentState[] = ['open', 'contained', 'notified', 'closed'];
  it('follows the server: analysts edit scope and contain; only admins notify and close', () => {
    const table = Object.fromEntries(
      states.map((s) => [
        s,
        {
          analyst: on(allowedActions('analyst', { state: s, affected: 5 }, progress({ affected: 5 }))),
          admin: on(allowedActions('admin', { state: s, affected: 5 }, progress({ affected: 5 }))),
        },
      ]),
    );
    expect(table).toEqual({
      open: { analyst: ['contain', 'editScope'], admin: ['contain', 'editScope'] },
      contained: { analyst: ['editScope'], admin: ['editScope', 'notify'] },
      notified: { analyst: ['editScope'], admin: ['close', 'editScope', 'notify'] },
      closed: { analyst: [], admin: [] },
    });
  });
  it('offers no action to a role that is neither (or no session role)', () => {
    expect(on(allowedActions(undefined, { state: 'open', affected: 5 }))).toEqual([]);
  });
  it('notifies again only customers the scope gained, never while a run is going, and never nobody', () => {
    expect(allowedActions('admin', { state: 'notified', affected: 5 }, progress({ affected: 5, enqueued: 5 })).notify).toBe(false);
    expect(allowedActions('admin', { state: 'notified', affected: 7 }, progress({ affected: 7, enqueued: 5 })).notify).toBe(true);
    expect(allowedActions('admin', { state: 'contained', affected: 5 }, progress({ affected: 5, running: true })).notify).toBe(false);
    expect(allowedActions('admin', { state: 'contained', affected: 0 }, progress({ affected: 0 })).notify).toBe(false);
  });
  it('closes a contained incident only when it affects nobody', () => {
    expect(allowedActions('admin', { state: 'contained', affected: 0 }).close).toBe(true);
    expect(allowedActions('admin', { state: 'contained', affected: 1 }).close).toBe(false);
  });
  it('counts who a notify run would write to', () => {
    expect(toNotify({ affected: 214 }, progress({ enqueued: 0 }))).toBe(214);
    expect(toNotify({ affected: 214 }, progress({ enqueued: 200 }))).toBe(14);
    expect(toNotify({ affected: 3 }, progress({ enqueued: 5 }))).toBe(0);
    expect(toNotify({ affected: 9 }, null)).toBe(9);
  });
});

describe('noticeSummary', () => {
  it('is in progress while notices are written or wait in the outbox, and settled after', () => {
    expect(noticeSummary(progress({ running: true, enqueued: 4 })).inProgress).toBe(true);
    expect(noticeSummary(progress({ enqueued: 10, queued: 3, delivered: 7 }))).toEqual({ handled: 7, percent: 70, inProgress: true });
    expect(noticeSummary(progress({ enqueued: 10, sent: 2, delivered: 5, failed: 2, suppressed: 1 }))).toEqual({
      handled: 10,
      percent: 100,
      inProgress: false,
    });
  });
  it('rounds down (100 % means every notice) and survives an empty scope', () => {
    expect(noticeSummary(progress({ affected: 3, enqueued: 3, delivered: 2, queued: 1 })).percent).toBe(66);
    expect(noticeSummary(progress({ affected: 0 }))).toEqual({ handled: 0, percent: 0, inProgress: false });
  });
  it('measures against the notices written when the scope shrank after notifying', () => {
    expect(noticeSummary(progress({ affected: 5, enqueued: 10, delivered: 10 })).percent).toBe(100);
  });
});

describe('the scope form', () => {
  const good: ScopeForm = {
    title: '坐席泄露',
    principals: 'stf_1, stf_2\nstf_1',
    fields: ['name', 'phone'],
    from: '2026-11-01T08:00',
    to: '2026-11-20T18:30',
    reason: '',
  };
  it('turns a good form into the API scope (principals deduplicated, local times as ISO)', () => {
    const v = validateScope(good, { title: true });
    expect(v.errors).toEqual({});
    expect(v.scope).toEqual({
      principalIds: ['stf_1', 'stf_2'],
      fields: ['name', 'phone'],
      from: new Date('2026-11-01T08:00').toISOString(),
      to: new Date('2026-11-20T18:30').toISOString(),
    });
  });
  it('says what is missing or wrong, field by field', () => {
    expect(validateScope({ ...good, title: ' ', principals: ' ,, ', fields: [], from: '', to: 'x' }, { title: true }).errors).toEqual({
      title: 'incident.form.required',
      principals: 'incident.form.required',
      fields: 'incident.form.required',
      from: 'incident.form.required',
      to: 'incident.form.required',
    });
    expect(validateScope({ ...good, from: good.to, to: good.from }, {}).errors).toEqual({ window: 'incident.form.fromAfterTo' });
    expect(validateScope({ ...good, principals: Array.from({ length: 101 }, (_, i) => `p${i}`).join(' ') }, {}).errors.principals).toBe(
      'incident.form.tooManyPrincipals',
    );
    expect(validateScope({ ...good, principals: 'x'.repeat(129) }, {}).errors.principals).toBe('incident.form.principalTooLong');
    expect(validateScope(good, {}).scope).not.toBeNull();
  });
  it('requires a reason of at least 3 characters for a scope edit', () => {
    expect(validateScope({ ...good, reason: '  ok ' }, { reason: true }).errors).toEqual({ reason: 'incident.form.reasonRequired' });
    expect(validateScope({ ...good, reason: 'x'.repeat(501) }, { reason: true }).errors).toEqual({ reason: 'incident.form.tooLong' });
    expect(validateScope({ ...good, reason: '加入导出' }, { reason: true }).scope).not.toBeNull();
  });
  it('sends only what changed, so untouched window bounds keep their seconds', () => {
    const initial = { ...good, reason: '' };
    const edited = { ...good, principals: 'stf_2 stf_1', fields: ['name', 'phone', 'items'], to: '2026-11-21T00:00', reason: ' 加入导出 ' };
    const scope = validateScope(edited, { reason: true }).scope!;
    expect(scopeEditPayload(initial, edited, scope)).toEqual({
      reason: '加入导出',
      fields: ['name', 'phone', 'items'],
      to: new Date('2026-11-21T00:00').toISOString(),
    });
  });
  it('round-trips times through the datetime-local input', () => {
    const iso = '2026-11-20T10:15:42.123Z';
    const back = fromLocalInput(toLocalInput(iso))!;
    expect(Math.abs(Date.parse(back) - Date.parse(iso))).toBeLessThan(60_000);
    expect(toLocalInput('nope')).toBe('');
    expect(fromLocalInput('2026-13-45')).toBeNull();
  });
  it('splits principals on commas (also Chinese ones), spaces and new lines', () => {
    expect(parsePrincipals('a，b、c d\ne,,a')).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('countBars', () => {
  it('orders counts largest first (ties by name) and keeps the top ones', () => {
    expect(countBars({ 浙江省: 61, 广东省: 80, 江苏省: 61 })).toEqual({ names: ['广东省', '江苏省', '浙江省'], values: [80, 61, 61] });
    expect(countBars({ a: 1, b: 2, c: 3 }, 2)).toEqual({ names: ['c', 'b'], values: [3, 2] });
  });
});
