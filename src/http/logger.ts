// The process logger. Personal data must never reach it: request URLs are logged without their
// query string (public checks carry phone numbers there), bodies are never logged, and error
// messages pass through a scrubber that blanks digit runs and e-mail addresses.
import pino, { type Logger, type DestinationStream } from 'pino';

const DIGITS = /\+?\d[\d\s-]{5,}\d/g;
const EMAIL = /[^\s@"'<>]+@[^\s@"'<>]+\.[a-z]{2,}/gi;

export function scrub(text: string): string {
  return text.replace(EMAIL, '[email]').replace(DIGITS, '[digits]');
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'fanzha' },
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.phone', '*.name', '*.email', '*.address'], censor: '[redacted]' },
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({ id: req.id, method: req.method, url: req.url.split('?')[0] }),
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
