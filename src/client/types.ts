// The API's types, derived from the server's own TypeBox schemas through type-only imports: the
// client carries no server code, and a schema change shows up here at compile time.
import type { Static, TObject } from '@sinclair/typebox';
import type { ShopEvent, IngestResult } from '../events/events.schemas.ts';
import type { InvestigationRequest, Investigation, InvestigationSummary } from '../investigations/investigations.schemas.ts';
import type { ReportInput, PublicAck, StaffAck, ReportView } from '../reports/reports.schemas.ts';
import type { OpenContactBody, ContactSession, UpdateContactBody, ContactStatusView } from '../contacts/contacts.schemas.ts';
import type { EvaluateBody, ResultBody, EvaluateResponse, ResultResponse } from '../guard/guard.schemas.ts';
import type { RequestOf } from '../lib/defaulted.ts';

/** Optional properties of T become optional for a caller (`?:`), its defaulted ones too. */
type In<S extends TObject> = RequestOf<S>;

export type FanzhaEvent = Static<typeof ShopEvent>;
export type EventType = FanzhaEvent['type'];
/** An event to queue: the id may be left out (the client then makes one, once). */
export type EventInput = FanzhaEvent extends infer E ? (E extends { id: string } ? Omit<E, 'id'> & { id?: string } : never) : never;
export type IngestResultT = Static<typeof IngestResult>;
export type InvestigationInput = In<typeof InvestigationRequest>;
export type InvestigationT = Static<typeof Investigation>;
export type InvestigationSummaryT = Static<typeof InvestigationSummary>;
export type ReportSubmission = In<typeof ReportInput>;
export type ReportAck = Static<typeof StaffAck> | Static<typeof PublicAck>;
export type ReportViewT = Static<typeof ReportView>;
export type ContactOpen = In<typeof OpenContactBody>;
export type ContactSessionT = Static<typeof ContactSession>;
export type ContactStatus = Static<typeof UpdateContactBody>['status'];
export type ContactStatusViewT = Static<typeof ContactStatusView>;
export type LoginAttempt = In<typeof EvaluateBody>;
export type LoginResult = In<typeof ResultBody>;
export type LoginDecision = Static<typeof EvaluateResponse>;
export type LoginResultAck = Static<typeof ResultResponse>;
