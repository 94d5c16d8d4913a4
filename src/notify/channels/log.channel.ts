// The default channel: one JSON line per notice in a file under the data directory, with the
// destination masked. Lets a shop run fanzha before wiring a real provider.
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Channel, OutgoingNotice, Recipient } from './channel.ts';
import { maskDestination } from './channel.ts';

export class LogChannel implements Channel {
  readonly name = 'log';
  readonly needs = 'phone' as const;
  private ready?: Promise<unknown>;
  constructor(private readonly file: string) {}

  async deliver(n: OutgoingNotice, to: Recipient) {
    this.ready ??= mkdir(path.dirname(this.file), { recursive: true });
    await this.ready;
    const line = {
      at: new Date().toISOString(),
      id: n.id,
      idempotencyKey: n.idempotencyKey,
      template: n.template,
      lang: n.lang,
      to: maskDestination(to, to.phone ? 'phone' : 'none'),
      subject: n.subject,
      text: n.text,
    };
    await appendFile(this.file, JSON.stringify(line) + '\n');
    return { status: 'delivered' as const, providerRef: `log:${n.id}` };
  }
}
