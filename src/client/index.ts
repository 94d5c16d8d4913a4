// fanzha/client: the typed client of the fanzha API (docs/client.md).
export { FanzhaClient, type FanzhaClientOptions } from './client.ts';
export { EventQueue, sendEvents, type EventQueueOptions, type Rejected } from './events.ts';
export { Batcher, type BatcherOptions, type BatcherStats, type OverflowPolicy } from './batcher.ts';
export { Transport, type TransportOptions, type CallOptions } from './http.ts';
export { FanzhaProblem, FanzhaUnreachable, QueueFullError, type Problem } from './errors.ts';
export { DEFAULT_RETRY, backoffDelay, parseRetryAfter, type RetryPolicy } from './retry.ts';
export type * from './types.ts';
