// What the client throws: the server's RFC 9457 problem (FanzhaProblem), or a failure to reach it
// after every retry (FanzhaUnreachable). Neither carries submitted values.

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
}

export class FanzhaProblem extends Error {
  override name = 'FanzhaProblem';
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(`${status} ${problem.title}${problem.detail ? `: ${problem.detail}` : ''}`);
  }
}

export class FanzhaUnreachable extends Error {
  override name = 'FanzhaUnreachable';
  constructor(
    message: string,
    readonly lastStatus?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The event queue is full and the overflow policy is 'reject'. */
export class QueueFullError extends Error {
  override name = 'QueueFullError';
}
