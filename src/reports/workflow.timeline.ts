// A case's timeline: its workflow history and notes, the merges and splits that shaped it, and the
// investigations run on it with the incidents opened from them. Investigations and incidents
// come from their own areas' services (never their tables).
import type { AppContext, AreaServices } from '../app/context.ts';
import type { CaseWorkflow } from './workflow.store.ts';
import type { TimelineEntryT } from './workflow.schemas.ts';

export async function caseTimeline(ctx: AppContext, wf: CaseWorkflow, root: string) {
  const svc = ctx.services.reports;
  const others = ctx.services as Partial<AreaServices>;
  const ids = await wf.family(root);
  const [history, notes, merges, splits] = await Promise.all([wf.history(ids), wf.notes(ids), svc.caseMerges(root), svc.caseSplits(root)]);
  const investigations = (await others.investigations?.forCases(ids)) ?? [];
  const incidents = (await others.incidents?.fromInvestigations(investigations.map((i) => i.id))) ?? [];
  const iso = (ms: number) => new Date(Number(ms)).toISOString();
  const entries: TimelineEntryT[] = [
    ...history.map((h) => ({ at: h.at, type: 'history' as const, kind: h.kind, from: h.from, to: h.to, detail: h.detail, note: h.note, by: h.by })),
    ...merges.map((m) => ({ at: iso(m.at), type: 'merge' as const, ref: m.from_case, detail: { via: m.via_kind, reportId: m.report_id } })),
    ...splits.map((s) => ({
      at: iso(s.at),
      type: 'split' as const,
      ref: s.from_case === root ? s.into_case : s.from_case,
      detail: { via: s.via_kind, reason: s.reason, reports: Number(s.reports), direction: s.from_case === root ? 'out' : 'in' },
    })),
    ...investigations.map((i) => ({ at: i.createdAt, type: 'investigation' as const, ref: i.id, verdict: i.verdict, victims: i.victims })),
    ...incidents.map((i) => ({
      at: i.createdAt,
      type: 'incident' as const,
      ref: i.id,
      state: i.state,
      principalIds: i.principalIds,
      detail: { investigationId: i.sourceRef, affected: i.affected },
    })),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const principalIds = new Set<string>();
  for (const e of entries) {
    if (e.by?.principalId) principalIds.add(e.by.principalId);
    for (const p of e.principalIds ?? []) principalIds.add(p);
    for (const v of [e.from, e.to]) if (v?.startsWith('principal:')) principalIds.add(v.slice('principal:'.length));
  }
  for (const n of notes) if (n.author.principalId) principalIds.add(n.author.principalId);
  const names = principalIds.size ? await ctx.services.shop.principals([...principalIds]) : new Map();
  return { caseId: root, entries, notes, principals: Object.fromEntries([...names].map(([id, p]) => [id, p.name as string])) };
}
