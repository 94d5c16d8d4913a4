// The containment webhook to the shop: "disable this principal, rotate this API client's key".
// Signed like the common webhook schemes: HMAC-SHA256 over `${timestamp}.${body}` with a shared
// secret, so the shop can check origin and freshness (reject old timestamps against replays).
import { createHmac } from 'node:crypto';

export interface IncidentsWebhookConfig {
  url: string;
  secret: string;
  timeoutMs?: number;
}

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export interface WebhookResult {
  status: 'sent' | 'failed' | 'not_configured';
  httpStatus?: number;
  error?: string;
  at: number;
}

export async function sendContainmentWebhook(conf: IncidentsWebhookConfig | undefined, payload: object, now = Date.now()): Promise<WebhookResult> {
  if (!conf?.url || !conf.secret) return { status: 'not_configured', at: now };
  const body = JSON.stringify(payload);
  const ts = String(Math.floor(now / 1000));
  try {
    const res = await fetch(conf.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-fanzha-timestamp': ts, 'x-fanzha-signature': signWebhook(conf.secret, ts, body) },
      body,
      signal: AbortSignal.timeout(conf.timeoutMs ?? 10_000),
    });
    await res.arrayBuffer().catch(() => undefined);
    return { status: res.ok ? 'sent' : 'failed', httpStatus: res.status, at: now };
  } catch (e) {
    return { status: 'failed', error: (e as Error).name, at: now };
  }
}
