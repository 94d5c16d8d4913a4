// The one error convention of domain code (services, engines, stores): throw a DomainError (or a
// subclass an area defines) saying what went wrong in the domain's terms — a category, and the
// problem type and title the API documents for it. Domain code never builds HTTP responses;
// src/http/error-handler.ts is the one place that turns these into RFC 9457 problem+json (the
// category decides the status). Messages never carry submitted values: they may be personal data.

export type ErrorCategory =
  | 'invalid' // 400: the request breaks a rule the schema cannot express
  | 'validation' // 400: a field failed validation (extensions.errors lists [{ path, message }])
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not-found' // 404
  | 'conflict' // 409
  | 'too-large' // 413
  | 'unprocessable' // 422
  | 'rate-limited' // 429 (retryAfterSeconds becomes the Retry-After header)
  | 'unavailable' // 503
  | 'internal'; // 500

/** How the error reads as a problem; anything left out takes its category's default. */
export interface ProblemShape {
  /** The problem type's last path segment (under PROBLEM_BASE). */
  type?: string;
  title?: string;
  /** The problem's detail when it differs from the error's message. */
  detail?: string;
  extensions?: Record<string, unknown>;
  retryAfterSeconds?: number;
}

export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly category: ErrorCategory,
    message: string,
    readonly problem: ProblemShape = {},
  ) {
    super(message);
  }
}

/** The common cases, with the same problem types and titles as the HTTP layer's own problems. */
export const fail = {
  badRequest: (detail: string, extensions?: Record<string, unknown>) => new DomainError('invalid', detail, { extensions }),
  validation: (detail: string, errors: { path: string; message: string }[]) => new DomainError('validation', detail, { extensions: { errors } }),
  notFound: (what = 'resource') => new DomainError('not-found', `No such ${what}.`),
  conflict: (detail: string) => new DomainError('conflict', detail),
  tooLarge: (detail: string) => new DomainError('too-large', detail),
  unavailable: (detail: string) => new DomainError('unavailable', detail),
  internal: (detail: string) => new DomainError('internal', detail),
};
