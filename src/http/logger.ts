// The process logger. Personal data must never reach it: request URLs are logged without their
// query string (public checks carry phone numbers there), bodies are never logged, and error
// messages pass through a scrubber that blanks digit runs and e-mail addresses.
import pino, { type Logger, type DestinationStream } from 'pino';
import { scrubPii, scrubDigitRuns } from '../lib/pii-text.ts';

/** Error text without e-mail addresses and phone-like digit runs (linear: messages can be long). */
export function scrub(text: string): string {
  return scrubPii(text);
}

/**
 * A URL as logged: no query string, digit runs of 5+ blanked ("/v1/customers/[n]": a path may hold
 * a phone number or an order number), scrubbed after percent-decoding.
 */
export function logUrl(url: string): string {
  let path = url.split('?')[0]!;
  try {
    path = decodeURIComponent(path); // "%31%33%38…" is a phone number too
  } catch {
    // malformed escapes: scrub what was sent
  }
  return scrubPii(scrubDigitRuns(path));
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'fanzha' },
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.phone', '*.name', '*.email', '*.address'], censor: '[redacted]' },
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({ id: req.id, method: req.method, url: logUrl(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: (err: Error & { code?: string; statusCode?: number }) => ({
          type: err.name,
          code: err.code,
          statusCode: err.statusCode,
          message: scrub(err.message ?? ''),
          stack: err.stack ? scrub(err.stack) : undefined,
        }),
      },
    },
    destination,
  );
}
