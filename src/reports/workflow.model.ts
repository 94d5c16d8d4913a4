// The case workflow's vocabulary: statuses, resolutions, priorities, and what a report arriving
// on a resolved case does. Kept apart from the store so schemas and the console's types share it.
export const CASE_STATUSES = ['open', 'investigating', 'waiting', 'resolved'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const OPEN_STATUSES: readonly CaseStatus[] = ['open', 'investigating', 'waiting'];

/** Why a case was resolved; required when (and only when) the status is 'resolved'. */
export const CASE_RESOLUTIONS = ['confirmed_scam', 'false_positive', 'duplicate', 'insufficient_information', 'referred_to_police'] as const;
export type CaseResolution = (typeof CASE_RESOLUTIONS)[number];

export const CASE_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type CasePriority = (typeof CASE_PRIORITIES)[number];

/** How the cases list sorts (case-list.ts). */
export const CASE_SORTS = ['lastContact', 'loss', 'victims', 'reports', 'priority', 'due', 'updated', 'created'] as const;
export type CaseSort = (typeof CASE_SORTS)[number];

export const HISTORY_KINDS = ['status', 'priority', 'due', 'assignee', 'tags', 'note', 'reopened', 'kept-resolved'] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];

/**
 * A new report on a resolved case reopens it, except when the case was resolved as a duplicate:
 * its reports belong to the case it duplicates, so reopening it would split the work in two. The
 * history then records the report and why the case stayed resolved.
 */
export function reopenOnReport(resolution: string | null): { reopen: true } | { reopen: false; reason: 'duplicate' } {
  return resolution === 'duplicate' ? { reopen: false, reason: 'duplicate' } : { reopen: true };
}

/** Who made a change: an API key (its name at the time) and the principal it acts for. */
export interface Actor {
  keyId: string | null;
  keyName: string | null;
  principalId: string | null;
}

/** Assignees are stored as 'key:<analyst key name>' or 'principal:<id>'. */
export type AssigneeRef = { keyName: string } | { principalId: string };
export const assigneeString = (a: AssigneeRef) => ('keyName' in a ? `key:${a.keyName}` : `principal:${a.principalId}`);
export function parseAssignee(s: string | null): AssigneeRef | null {
  if (!s) return null;
  return s.startsWith('key:') ? { keyName: s.slice(4) } : { principalId: s.slice('principal:'.length) };
}
/** The assignee values that mean "me" for a caller. */
export const assigneesOf = (a: { keyName: string; principalId: string | null }) => [
  `key:${a.keyName}`,
  ...(a.principalId ? [`principal:${a.principalId}`] : []),
];
