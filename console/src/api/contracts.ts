// The server's API shapes, derived from the TypeBox schemas that validate, serialise and document
// each endpoint (src/*/*.schemas.ts), so the console cannot drift from what the server sends.
// Type-only imports: nothing of the server reaches the console's bundle.
import type { Static } from '@sinclair/typebox';
import type * as audit from '../../../src/audit/audit.schemas.ts';
import type * as canaries from '../../../src/canaries/canaries.schemas.ts';
import type * as guard from '../../../src/guard/guard.schemas.ts';
import type * as incidents from '../../../src/incidents/incidents.schemas.ts';
import type * as investigations from '../../../src/investigations/investigations.schemas.ts';
import type * as reports from '../../../src/reports/reports.schemas.ts';
import type * as workflow from '../../../src/reports/workflow.schemas.ts';

/** A request body as a client may send it: the fields the schema fills with defaults may be left out. */
type Defaulted<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

// incidents (src/incidents/incidents.schemas.ts)
export type Incident = Static<typeof incidents.Incident>;
export type IncidentEvent = Static<typeof incidents.IncidentEvent>;
export type IncidentDetail = Static<typeof incidents.IncidentDetail>;
export type NoticeProgress = Static<typeof incidents.Progress>;
export type CreateIncidentBody = Static<typeof incidents.CreateIncident>;

// access log (src/audit/audit.schemas.ts)
export type AccessEntry = Static<typeof audit.AccessEntry>;
export type VerifyResult = Static<typeof audit.VerifyResponse>;
export type Checkpoint = Static<typeof audit.Checkpoint>;
export type AccessAlert = Static<typeof audit.Alert>;

// investigations (src/investigations/investigations.schemas.ts)
export type InvestigationResult = Static<typeof investigations.Investigation>;
export type InvestigationSummary = Static<typeof investigations.InvestigationSummary>;

// canaries and exports (src/canaries/canaries.schemas.ts)
export type Scope = Static<typeof canaries.Scope>;
export type Canary = Static<typeof canaries.CanaryOut>;
export type CanaryTrip = Static<typeof canaries.TripOut>;
export type ExportRecord = Static<typeof canaries.ExportOut>;

// reports and cases (src/reports/reports.schemas.ts)
/** Body of POST /v1/reports: every list defaults to empty. */
export type NewReport = Defaulted<
  Static<typeof reports.ReportInput>,
  'callerNumbers' | 'knewFields' | 'scriptTags' | 'orderIds' | 'urls' | 'apps' | 'socialAccounts' | 'payments' | 'exposed' | 'evidence'
>;
export type ReportPayment = Static<typeof reports.Payment>;
/** POST /v1/reports answers a public caller with PublicAck, staff with StaffAck. */
export type ReportAck = Partial<Static<typeof reports.PublicAck> & Static<typeof reports.StaffAck>> & { reference: string };
export type ReportView = Static<typeof reports.ReportView>;
export type CaseStats = Static<typeof reports.CaseStats>;
export type OfficialChannel = Static<typeof reports.WarningEntry>;

// case workflow and triage list (src/reports/workflow.schemas.ts)
export type CaseListItem = Static<typeof workflow.CaseListItem>;
export type CaseList = Static<typeof workflow.CaseList>;
export type CaseListQuery = Partial<Static<typeof workflow.CaseListQuery>>;
export type CaseWorkflow = Static<typeof workflow.CaseWorkflow>;
export type WorkflowPatch = Static<typeof workflow.WorkflowPatch>;
export type BulkChange = Static<typeof workflow.BulkChange>;
export type BulkResult = Static<typeof workflow.BulkResult>;
export type CaseNote = Static<typeof workflow.CaseNote>;
export type CaseTimeline = Static<typeof workflow.CaseTimeline>;
export type TimelineEntry = Static<typeof workflow.TimelineEntry>;
export type SavedFilter = Static<typeof workflow.SavedFilter>;

// login protection (src/guard/guard.schemas.ts)
export type LoginStats = Static<typeof guard.StatsResponse>;
