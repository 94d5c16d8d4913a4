// The shapes the incidents service hands out and takes in, apart from the service so the report
// renderers (report.ts) and the CLI can use them without importing the service.
import type { IncidentState } from './incidents.tables.ts';
import type { ScopeCounts } from './scope.ts';
import type { WebhookResult } from './webhook.ts';

export interface CreateIncidentInput {
  investigationId?: string;
  canaryTripId?: string;
  /** A candidate scope from POST /v1/leaks/match (principal or api_client), with when the file surfaced. */
  leakMatch?: { scope: { kind: string; id: string }; at?: string };
  title?: string;
  principalIds?: string[];
  /** By hand for a group: every principal of the org or team. */
  group?: { kind: 'org' | 'team'; id: string };
  fields?: string[];
  from?: string;
  to?: string;
  clientRef?: string;
}

export interface ScopeEdit {
  principalIds?: string[];
  fields?: string[];
  from?: string;
  to?: string;
  reason: string;
}

export interface Containment {
  keysRevoked: number;
  frozenPrincipals: string[];
  webhook: WebhookResult;
}

export interface Incident {
  id: string;
  title: string;
  state: IncidentState;
  source: string;
  sourceRef: string | null;
  principalIds: string[];
  fields: string[];
  from: string;
  to: string;
  affected: number;
  counts: ScopeCounts;
  containment: Containment | null;
  createdAt: string;
  updatedAt: string;
}

export interface IncidentEvent {
  kind: string;
  fromState: string | null;
  toState: string | null;
  reason: string | null;
  detail: Record<string, unknown> | null;
  byKey: string | null;
  /** Name of that key, when it is a fanzha API key (CLI actions carry a "cli:" id of their own). */
  byName: string | null;
  byPrincipal: string | null;
  at: string;
}

export interface NoticeProgress {
  affected: number;
  enqueued: number;
  queued: number;
  sent: number;
  delivered: number;
  failed: number;
  suppressed: number;
  /** Customers no channel of the route can reach (no contact data the route's channels need): follow up by hand. */
  unreachable: number;
  /** Notices waiting for another attempt after a failed one. */
  retrying: number;
  /** Attempts beyond each notice's first. */
  retries: number;
  running: boolean;
}
