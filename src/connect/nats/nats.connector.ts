// `fanzha connect nats`: a durable JetStream pull consumer of v1 events (one event or an array
// per message). A fetched batch is stored in one ingest call, rejected events are published to
// the dead-letter subject with their problem, and only then are the messages acknowledged: a
// crash before the ack means redelivery, and the events' own ids make a redelivery stored once.
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { MAX_EVENTS_PER_REQUEST } from '../../events/events.schemas.ts';
import { EventSink, problemLine } from '../connect.sink.ts';

export interface NatsConnectorOptions {
  url: string;
  stream: string;
  subject: string;
  /** Durable consumer name (default fanzha); a restarted connector resumes where it acked. */
  durable?: string;
  /** Where rejected events go (default fanzha.dead-letter.<stream>). */
  deadLetter?: string;
  /** Messages per fetched batch. */
  batchSize?: number;
  /** How long the server waits for an ack before redelivering (the consumer is created with it). */
  ackWaitMs?: number;
  log?: (line: string) => void;
  /** Called after each batch is committed and acked (tests stop a consumer mid-stream with it). */
  onBatch?: (messages: number) => void;
}

interface DeadLetter {
  problem: { type?: string; title: string; detail?: string; errors?: { path: string; message: string }[] };
  stream: string;
  subject: string;
  seq: number;
  /** The rejected event, or the message text when it was not JSON. */
  event?: unknown;
  text?: string;
}

const INVALID_JSON = { type: 'https://fanzha.dev/problems/invalid-json', title: 'Invalid JSON', detail: 'the message is not a JSON object or array' };

export class NatsConnector {
  readonly sink: EventSink;
  readonly deadLetter: string;
  private readonly durable: string;
  private readonly log: (line: string) => void;
  private deadLetters = 0;
  private js?: ReturnType<typeof jetstream>;

  constructor(
    events: ConstructorParameters<typeof EventSink>[0],
    private readonly opts: NatsConnectorOptions,
  ) {
    this.sink = new EventSink(events);
    this.durable = opts.durable ?? 'fanzha';
    this.deadLetter = opts.deadLetter ?? `fanzha.dead-letter.${opts.stream}`;
    this.log = opts.log ?? (() => {});
  }

  get deadLettered() {
    return this.deadLetters;
  }

  /** Consumes until `signal` aborts; the batch in hand is finished (committed and acked) first. */
  async run(signal: AbortSignal): Promise<void> {
    const nc = await connect({ servers: this.opts.url, name: `fanzha ${this.durable}` });
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.info(this.opts.stream).catch(() => {
        throw new Error(`JetStream has no stream "${this.opts.stream}"`);
      });
      await this.ensureConsumer(jsm);
      const consumer = await jetstream(nc).consumers.get(this.opts.stream, this.durable);
      while (!signal.aborted) {
        const msgs: JsMsg[] = [];
        const iter = await consumer.fetch({ max_messages: this.opts.batchSize ?? 1000, expires: 1000 });
        for await (const m of iter) msgs.push(m);
        if (!msgs.length) continue;
        await this.commit(nc, msgs);
        this.opts.onBatch?.(msgs.length);
      }
    } finally {
      await nc.drain();
    }
  }

  private async ensureConsumer(jsm: Awaited<ReturnType<typeof jetstreamManager>>) {
    const exists = await jsm.consumers.info(this.opts.stream, this.durable).then(
      () => true,
      () => false,
    );
    if (exists) return;
    await jsm.consumers.add(this.opts.stream, {
      durable_name: this.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: this.opts.subject,
      ack_wait: nanos(this.opts.ackWaitMs ?? 60_000),
      max_ack_pending: 100_000,
    });
  }

  private async commit(nc: NatsConnection, msgs: JsMsg[]) {
    const events: unknown[] = [];
    const from: JsMsg[] = [];
    const dead: DeadLetter[] = [];
    for (const m of msgs) {
      let v: unknown;
      try {
        v = m.json();
      } catch {
        v = undefined;
      }
      if (v === null || typeof v !== 'object') {
        dead.push({ problem: INVALID_JSON, stream: this.opts.stream, subject: m.subject, seq: m.seq, text: m.string().slice(0, 10_000) });
        continue;
      }
      for (const e of Array.isArray(v) ? v : [v]) {
        events.push(e);
        from.push(m);
      }
    }
    for (let i = 0; i < events.length; i += MAX_EVENTS_PER_REQUEST) {
      const r = await this.sink.write(events.slice(i, i + MAX_EVENTS_PER_REQUEST));
      for (const x of r.rejected) {
        const m = from[i + x.index]!;
        dead.push({ problem: x.problem, stream: this.opts.stream, subject: m.subject, seq: m.seq, event: events[i + x.index] });
      }
    }
    for (const d of dead) await this.publishDead(nc, d);
    if (dead.length) await nc.flush(); // dead letters out before their messages are acked
    for (const m of msgs) m.ack();
  }

  /** Into JetStream when a stream keeps the dead-letter subject, else a plain publish. */
  private async publishDead(nc: NatsConnection, d: DeadLetter) {
    this.deadLetters++;
    this.log(`dead letter (${d.subject} #${d.seq}): ${problemLine(d.problem)}`);
    const body = JSON.stringify(d);
    try {
      await (this.js ??= jetstream(nc)).publish(this.deadLetter, body);
    } catch {
      nc.publish(this.deadLetter, body);
    }
  }
}
