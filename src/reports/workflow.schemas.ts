// Schemas of the case workflow and the triage list (validation, serialisation, OpenAPI; the
// console's types come from these through console/src/api/contracts.ts).
import { Type, type Static } from '@sinclair/typebox';
import { defaulted } from '../lib/defaulted.ts';
import { lit } from './reports.schemas.ts';
import { RISK_TIERS } from './risk.ts';
import { CASE_PRIORITIES, CASE_RESOLUTIONS, CASE_SORTS, CASE_STATUSES, HISTORY_KINDS } from './workflow.model.ts';

const Nullable = <T extends import('@sinclair/typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const AssigneeRef = Type.Union([
  Type.Object({ keyName: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
  Type.Object({ principalId: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false }),
]);
const Tag = Type.String({ minLength: 1, maxLength: 40 });

export const WorkflowPatch = Type.Object(
  {
    status: Type.Optional(lit(CASE_STATUSES)),
    resolution: Type.Optional(lit(CASE_RESOLUTIONS)),
    priority: Type.Optional(lit(CASE_PRIORITIES)),
    dueAt: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
    assignee: Type.Optional(Nullable(AssigneeRef)),
    tags: Type.Optional(Type.Array(Tag, { maxItems: 20 })),
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })),
  },
  { additionalProperties: false },
);

export const CaseWorkflow = Type.Object({
  id: Type.String(),
  status: lit(CASE_STATUSES),
  resolution: Nullable(lit(CASE_RESOLUTIONS)),
  priority: lit(CASE_PRIORITIES),
  dueAt: Nullable(Type.String()),
  assignee: Nullable(AssigneeRef),
  /** The assignee's display name (a principal's name, or the key's name). */
  assigneeName: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
});

export const BulkChange = Type.Object(
  {
    ids: Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { minItems: 1, maxItems: 500 }),
    status: Type.Optional(lit(CASE_STATUSES)),
    resolution: Type.Optional(lit(CASE_RESOLUTIONS)),
    priority: Type.Optional(lit(CASE_PRIORITIES)),
    assignee: Type.Optional(Nullable(AssigneeRef)),
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })),
  },
  { additionalProperties: false },
);
export const BulkResult = Type.Object({ updated: Type.Array(Type.String()), failed: Type.Array(Type.Object({ id: Type.String(), reason: Type.String() })) });

export const NoteInput = Type.Object({ body: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false });
const Author = Type.Object({ keyName: Nullable(Type.String()), principalId: Nullable(Type.String()) });
export const CaseNote = Type.Object({ id: Type.String(), caseId: Type.String(), body: Type.String(), author: Author, at: Type.String() });

/** One entry of a case's timeline: a workflow change, a note, a merge or split, an investigation or incident. */
export const TimelineEntry = Type.Object({
  at: Type.String(),
  type: lit(['history', 'merge', 'split', 'investigation', 'incident'] as const),
  kind: Type.Optional(lit(HISTORY_KINDS)),
  from: Type.Optional(Nullable(Type.String())),
  to: Type.Optional(Nullable(Type.String())),
  /** Structured context (resolution, report id, reason a case stayed resolved). */
  detail: Type.Optional(Nullable(Type.Record(Type.String(), Type.Unknown()))),
  note: Type.Optional(Nullable(Type.String())),
  by: Type.Optional(Nullable(Author)),
  /** The investigation, incident or other case this entry names. */
  ref: Type.Optional(Type.String()),
  verdict: Type.Optional(Type.String()),
  state: Type.Optional(Type.String()),
  victims: Type.Optional(Type.Integer()),
  principalIds: Type.Optional(Type.Array(Type.String())),
});
export const CaseTimeline = Type.Object({
  caseId: Type.String(),
  entries: Type.Array(TimelineEntry),
  notes: Type.Array(CaseNote),
  /** Display names of the principals the entries name (id → name). */
  principals: Type.Record(Type.String(), Type.String()),
});

export const CaseListQuery = Type.Object({
  limit: defaulted(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: defaulted(Type.Integer({ minimum: 0, default: 0 })),
  /** A saved filter: 'mine', 'overdue', 'unassigned' or the id of one of the caller's own. */
  filter: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  status: Type.Optional(Type.Array(lit(CASE_STATUSES), { maxItems: 4 })),
  priority: Type.Optional(Type.Array(lit(CASE_PRIORITIES), { maxItems: 4 })),
  assignee: Type.Optional(Type.String({ minLength: 1, maxLength: 210 })),
  tag: Type.Optional(Tag),
  overdue: Type.Optional(Type.Boolean()),
  indicator: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  minReports: Type.Optional(Type.Integer({ minimum: 1 })),
  minLoss: Type.Optional(Type.Number({ minimum: 0 })),
  sort: Type.Optional(lit(CASE_SORTS)),
  order: Type.Optional(lit(['asc', 'desc'] as const)),
});
export const SavedQuery = Type.Omit(CaseListQuery, ['limit', 'offset', 'filter']);

export const CaseListItem = Type.Object({
  id: Type.String(),
  reports: Type.Integer(),
  victims: Type.Integer(),
  loss: Type.Object({ currency: Type.String(), total: Type.Number() }),
  lastContact: Type.String(),
  mainIndicator: Nullable(Type.Object({ kind: Type.String(), value: Type.String(), reports: Type.Integer() })),
  tier: lit(RISK_TIERS),
  status: lit(CASE_STATUSES),
  resolution: Nullable(lit(CASE_RESOLUTIONS)),
  priority: lit(CASE_PRIORITIES),
  dueAt: Nullable(Type.String()),
  overdue: Type.Boolean(),
  assignee: Nullable(AssigneeRef),
  assigneeName: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export const CaseList = Type.Object({ total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer(), items: Type.Array(CaseListItem) });

export const SavedFilter = Type.Object({ id: Type.String(), name: Type.String(), builtin: Type.Boolean(), query: SavedQuery });
export const SavedFilterInput = Type.Object({ name: Type.String({ minLength: 1, maxLength: 80 }), query: SavedQuery }, { additionalProperties: false });

export type CaseListItemT = Static<typeof CaseListItem>;
export type TimelineEntryT = Static<typeof TimelineEntry>;
