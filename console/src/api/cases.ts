// The case workflow and triage list (server: src/reports/workflow.routes.ts, workflow.schemas.ts).
import { api } from './http.ts';
import type {
  BulkChange,
  BulkResult,
  CaseList,
  CaseListItem,
  CaseNote,
  CaseTimeline,
  CaseWorkflow,
  SavedFilter,
  TimelineEntry,
  WorkflowPatch,
} from './contracts.ts';
export type { BulkResult, CaseList, CaseListItem, CaseNote, CaseTimeline, CaseWorkflow, SavedFilter, TimelineEntry, WorkflowPatch };

// The server's vocabularies (src/reports/workflow.model.ts); `satisfies` keeps them in step.
export const CASE_STATUSES = ['open', 'investigating', 'waiting', 'resolved'] as const satisfies readonly CaseWorkflow['status'][];
export const CASE_RESOLUTIONS = [
  'confirmed_scam',
  'false_positive',
  'duplicate',
  'insufficient_information',
  'referred_to_police',
] as const satisfies readonly NonNullable<CaseWorkflow['resolution']>[];
export const CASE_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const satisfies readonly CaseWorkflow['priority'][];
export const CASE_SORTS = ['lastContact', 'loss', 'victims', 'reports', 'priority', 'due', 'updated', 'created'] as const;
export type CaseStatus = CaseWorkflow['status'];
export type CaseResolution = NonNullable<CaseWorkflow['resolution']>;
export type CasePriority = CaseWorkflow['priority'];
export type CaseSort = (typeof CASE_SORTS)[number];

export interface CaseQuery {
  filter?: string;
  status?: CaseStatus;
  priority?: CasePriority;
  assignee?: string;
  tag?: string;
  indicator?: string;
  minReports?: number;
  sort?: CaseSort;
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}
export const CASES_PAGE = 25;
const path = (id: string) => `/v1/cases/${encodeURIComponent(id)}`;

export const listCases = (q: CaseQuery = {}) => api<CaseList>('/v1/cases', { query: { limit: CASES_PAGE, ...q } });
export const caseFilters = () => api<SavedFilter[]>('/v1/case-filters');
export const getWorkflow = (id: string) => api<CaseWorkflow>(`${path(id)}/workflow`);
export const updateWorkflow = (id: string, patch: WorkflowPatch) => api<CaseWorkflow>(`${path(id)}/workflow`, { method: 'PATCH', body: patch });
export const bulkChange = (change: BulkChange) => api<BulkResult>('/v1/cases/bulk', { method: 'POST', body: change });
export const addNote = (id: string, body: string) => api<CaseNote>(`${path(id)}/notes`, { method: 'POST', body: { body } });
export const caseTimeline = (id: string) => api<CaseTimeline>(`${path(id)}/timeline`);
