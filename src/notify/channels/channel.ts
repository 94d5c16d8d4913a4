// A delivery channel: takes one rendered notice for one recipient and hands it to a provider.
// Every call carries the notice's idempotency key so a receiver can drop repeats (a worker killed
// after the provider accepted but before we recorded it sends again with the same key).
import type { Lang } from '../templates.ts';

export interface Recipient {
  customerId: string;
  /** E.164; decrypted just before delivery, never stored or logged. */
  phone?: string;
  email?: string;
  lang: Lang;
}

export interface OutgoingNotice {
  id: string;
  idempotencyKey: string;
  template: string;
  lang: Lang;
  subject: string;
  text: string;
  vars: Record<string, string | number>;
  urgent: boolean;
}

export interface DeliveryResult {
  /** The provider's message id, matched by delivery receipts. */
  providerRef?: string;
  /** 'delivered' when the channel itself is the end (log file, webhook accepted by the shop). */
  status: 'sent' | 'delivered';
}

export interface Channel {
  readonly name: string;
  /** Which contact data the channel needs (decrypted only for channels that need it). */
  readonly needs: 'phone' | 'email' | 'none';
  deliver(notice: OutgoingNotice, to: Recipient): Promise<DeliveryResult>;
  close?(): Promise<void> | void;
}

/** A failure; `permanent` ones (bad request, unknown number) go to dead letter without retries. */
export class ChannelError extends Error {
  override name = 'ChannelError';
  constructor(message: string, readonly permanent = false) {
    super(message);
  }
}

/** Classifies an HTTP status from a provider: 4xx except 408/429 cannot succeed on retry. */
export function httpError(provider: string, status: number, detail = ''): ChannelError {
  const permanent = status >= 400 && status < 500 && status !== 408 && status !== 429;
  return new ChannelError(`${provider} HTTP ${status}${detail ? ': ' + detail.slice(0, 120) : ''}`, permanent);
}

/** Masks a destination for logs: +86138****5678, a***@example.com. */
export function maskDestination(to: Recipient, needs: Channel['needs']): string {
  if (needs === 'phone' && to.phone) return to.phone.slice(0, 6) + '****' + to.phone.slice(-4);
  if (needs === 'email' && to.email) {
    const [local, domain] = to.email.split('@');
    return `${local!.slice(0, 1)}***@${domain}`;
  }
  return `customer:${to.customerId}`;
}

/** fetch with a timeout; network failures become retryable ChannelErrors. */
export async function post(provider: string, url: string, init: RequestInit, timeoutMs = 10_000): Promise<Response> {
  try {
    return await fetch(url, { ...init, method: 'POST', signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw new ChannelError(`${provider} unreachable: ${(e as Error).name}`);
  }
}
