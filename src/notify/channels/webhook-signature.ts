// Signed webhooks: HMAC-SHA256 over "<timestamp>.<body>" with a shared secret, sent as
//   X-Fanzha-Timestamp: <unix seconds>
//   X-Fanzha-Signature: v1=<hex>
// Receivers verify with `verifyWebhookSignature` (usable on its own in a shop's backend: it
// depends only on node:crypto) and reject timestamps outside the replay window.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-fanzha-signature';
export const TIMESTAMP_HEADER = 'x-fanzha-timestamp';
export const IDEMPOTENCY_HEADER = 'idempotency-key';

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return 'v1=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export type VerifyResult = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

/**
 * Checks a received webhook. `body` must be the raw request body exactly as received.
 * `toleranceSeconds` is the replay window around the receiver's clock (default 5 minutes);
 * receivers should also drop repeats by the Idempotency-Key header.
 */
export function verifyWebhookSignature(opts: {
  secret: string;
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
  toleranceSeconds?: number;
  nowSeconds?: number;
}): VerifyResult {
  const { timestamp, signature } = opts;
  if (!timestamp || !signature) return { ok: false, reason: 'missing' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed' };
  const ts = Number(timestamp);
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - ts) > (opts.toleranceSeconds ?? 300)) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(signWebhook(opts.secret, ts, opts.body));
  // A header may carry several signatures (during secret rotation): accept any that matches.
  for (const part of signature.split(',').map((s) => s.trim())) {
    const got = Buffer.from(part);
    if (got.length === expected.length && timingSafeEqual(got, expected)) return { ok: true };
  }
  return { ok: false, reason: 'mismatch' };
}
