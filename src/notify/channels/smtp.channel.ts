// Mail through any SMTP server with nodemailer. The Message-ID is derived from the idempotency
// key so a repeated send after a crash is recognisable as the same message by mail systems.
import nodemailer, { type Transporter } from 'nodemailer';
import { createHash } from 'node:crypto';
import type { Channel, OutgoingNotice, Recipient } from './channel.ts';
import { ChannelError } from './channel.ts';
import type { SmtpChannelConfig } from '../notify.config.ts';

export class SmtpChannel implements Channel {
  readonly name = 'smtp';
  readonly needs = 'email' as const;
  private readonly transport: Transporter;
  constructor(private readonly cfg: SmtpChannelConfig) {
    this.transport = nodemailer.createTransport({
      host: cfg.host,
      port: cfg.port,
      secure: cfg.secure ?? false,
      requireTLS: cfg.requireTLS ?? false,
      ...(cfg.user ? { auth: { user: cfg.user, pass: cfg.pass ?? '' } } : {}),
      connectionTimeout: 10_000,
      socketTimeout: 20_000,
    });
  }

  async deliver(n: OutgoingNotice, to: Recipient) {
    if (!to.email) throw new ChannelError('smtp: the customer has no email address', true);
    const host = this.cfg.from.split('@')[1]?.replace(/>.*/, '') ?? 'fanzha.local';
    const messageId = `<${createHash('sha256').update(n.idempotencyKey).digest('hex').slice(0, 32)}@${host}>`;
    try {
      const info = await this.transport.sendMail({
        from: this.cfg.from,
        to: to.email,
        subject: n.subject,
        text: n.text,
        messageId,
        headers: { 'X-Fanzha-Idempotency-Key': n.idempotencyKey, 'X-Fanzha-Notice': n.id },
      });
      return { status: 'sent' as const, providerRef: info.messageId ?? messageId };
    } catch (e) {
      const code = (e as { responseCode?: number }).responseCode;
      // 5xx SMTP replies are permanent (bad mailbox, rejected); 4xx and network errors are retried.
      throw new ChannelError(`smtp ${code ?? (e as { code?: string }).code ?? 'error'}`, code !== undefined && code >= 500);
    }
  }

  close() {
    this.transport.close();
  }
}
