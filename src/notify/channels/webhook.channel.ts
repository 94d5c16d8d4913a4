// Signed webhook to the shop's backend, which shows the notice in its app (push, inbox) or
// forwards it. The body carries the customer id, never contact data: the shop knows its customer.
import type { Channel, OutgoingNotice, Recipient } from './channel.ts';
import { httpError, post } from './channel.ts';
import { signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER, IDEMPOTENCY_HEADER } from './webhook-signature.ts';
import type { WebhookChannelConfig } from '../notify.config.ts';

export class WebhookChannel implements Channel {
  readonly name = 'webhook';
  readonly needs = 'none' as const;
  constructor(private readonly cfg: WebhookChannelConfig) {}

  async deliver(n: OutgoingNotice, to: Recipient) {
    const body = JSON.stringify({
      id: n.id,
      idempotencyKey: n.idempotencyKey,
      template: n.template,
      customerId: to.customerId,
      lang: n.lang,
      urgent: n.urgent,
      subject: n.subject,
      text: n.text,
      vars: n.vars,
    });
    const ts = Math.floor(Date.now() / 1000);
    const res = await post('webhook', this.cfg.url, {
      headers: {
        'content-type': 'application/json',
        [TIMESTAMP_HEADER]: String(ts),
        [SIGNATURE_HEADER]: signWebhook(this.cfg.secret, ts, body),
        [IDEMPOTENCY_HEADER]: n.idempotencyKey,
      },
      body,
    });
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok) throw httpError('webhook', res.status);
    return { status: 'delivered' as const, providerRef: `webhook:${n.id}` };
  }
}
