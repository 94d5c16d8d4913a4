// RFC 9457 problem details. Every error the API returns is one of these, with a stable `type`
// under PROBLEM_BASE. Details never carry submitted values: they may be personal data.
export const PROBLEM_BASE = 'https://fanzha.dev/problems/';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

export class HttpProblem extends Error {
  readonly status: number;
  readonly slug: string;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;
  constructor(status: number, slug: string, title: string, detail?: string, extensions: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(detail ?? title);
    this.name = 'HttpProblem';
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.extensions = extensions;
    this.headers = headers;
  }
  title: string;

  toJSON(instance?: string): ProblemDetails {
    return {
      type: PROBLEM_BASE + this.slug,
      title: this.title,
      status: this.status,
      ...(this.message && this.message !== this.title ? { detail: this.message } : {}),
      ...(instance ? { instance } : {}),
      ...this.extensions,
    };
  }
}

export const problems = {
  badRequest: (detail: string, ext?: Record<string, unknown>) => new HttpProblem(400, 'bad-request', 'Bad request', detail, ext),
  validation: (detail: string, errors: unknown[]) => new HttpProblem(400, 'validation', 'Request failed validation', detail, { errors }),
  unauthorized: () =>
    new HttpProblem(
      401,
      'unauthorized',
      'Authentication required',
      'Send an API key as "Authorization: Bearer <key>".',
      {},
      {
        'www-authenticate': 'Bearer realm="fanzha"',
      },
    ),
  forbidden: (role: string, allowed: readonly string[]) =>
    new HttpProblem(403, 'forbidden', 'Role not allowed', `This endpoint needs one of the roles: ${allowed.join(', ')}; the key has role "${role}".`),
  notFound: (what = 'resource') => new HttpProblem(404, 'not-found', 'Not found', `No such ${what}.`),
  conflict: (detail: string) => new HttpProblem(409, 'conflict', 'Conflict', detail),
  tooLarge: (detail: string) => new HttpProblem(413, 'too-large', 'Request too large', detail),
  unsupportedMedia: (detail: string) => new HttpProblem(415, 'unsupported-media-type', 'Unsupported media type', detail),
  tooMany: (detail: string, retryAfterSeconds: number, slug = 'rate-limited') =>
    new HttpProblem(429, slug, 'Too many requests', detail, { retryAfter: retryAfterSeconds }, { 'retry-after': String(retryAfterSeconds) }),
  unavailable: (detail: string, retryAfterSeconds?: number, slug = 'unavailable', title = 'Service unavailable') =>
    new HttpProblem(503, slug, title, detail, {}, retryAfterSeconds ? { 'retry-after': String(retryAfterSeconds) } : {}),
};
