// FanzhaClient: the typed client of fanzha's API for a shop's backend — event ingestion (batched,
// see events.ts), investigations, scam reports, contact sessions and login evaluation. Types come
// from the server's schemas (types.ts); errors are FanzhaProblem / FanzhaUnreachable (errors.ts).
import { Transport, type TransportOptions } from './http.ts';
import { EventQueue, sendEvents, withId, type EventQueueOptions } from './events.ts';
import type {
  ContactOpen,
  ContactSessionT,
  ContactStatus,
  ContactStatusViewT,
  EventInput,
  IngestResultT,
  InvestigationInput,
  InvestigationSummaryT,
  InvestigationT,
  LoginAttempt,
  LoginDecision,
  LoginResult,
  LoginResultAck,
  ReportAck,
  ReportSubmission,
  ReportViewT,
} from './types.ts';

export type FanzhaClientOptions = TransportOptions;

const seg = encodeURIComponent;

export class FanzhaClient {
  readonly transport: Transport;
  constructor(opts: FanzhaClientOptions) {
    this.transport = new Transport(opts);
  }

  /** A background queue that batches events (see EventQueueOptions for its limits and policy). */
  eventQueue(opts?: EventQueueOptions): EventQueue {
    return new EventQueue(this.transport, opts);
  }

  /** Send events now, in one request (at most 10,000); ids are added where missing. */
  ingest(events: EventInput[]): Promise<IngestResultT> {
    return sendEvents(this.transport, events.map(withId));
  }

  readonly investigations = {
    create: (body: InvestigationInput) => this.transport.call<InvestigationT>('/v1/investigations', { method: 'POST', body }),
    get: (id: string) => this.transport.call<InvestigationT>(`/v1/investigations/${seg(id)}`),
    list: (limit?: number) => this.transport.call<InvestigationSummaryT[]>('/v1/investigations', { query: { limit } }),
  };

  readonly reports = {
    /** With clientId set, a retried submission is stored once, so network failures are retried too. */
    submit: (body: ReportSubmission) => this.transport.call<ReportAck>('/v1/reports', { method: 'POST', body, idempotent: body.clientId !== undefined }),
    get: (id: string) => this.transport.call<ReportViewT>(`/v1/reports/${seg(id)}`),
  };

  readonly contacts = {
    open: (body: ContactOpen) => this.transport.call<ContactSessionT>('/v1/contacts', { method: 'POST', body }),
    /** Status changes are idempotent (the same status twice is one transition). */
    update: (id: string, status: ContactStatus) =>
      this.transport.call<ContactSessionT>(`/v1/contacts/${seg(id)}`, { method: 'PATCH', body: { status }, idempotent: true }),
    status: (customerId: string, lang?: 'zh-CN' | 'en') =>
      this.transport.call<ContactStatusViewT>(`/v1/customers/${seg(customerId)}/contact-status`, { query: { lang } }),
  };

  readonly logins = {
    evaluate: (attempt: LoginAttempt) => this.transport.call<LoginDecision>('/v1/logins/evaluate', { method: 'POST', body: attempt, idempotent: true }),
    /** Give attemptId so a retried result is counted once. */
    result: (result: LoginResult) =>
      this.transport.call<LoginResultAck>('/v1/logins/result', { method: 'POST', body: result, idempotent: result.attemptId !== undefined }),
  };
}
