// Local stand-ins for notice receivers in tests and benchmarks: a webhook receiver that verifies
// signatures and drops repeated idempotency keys, and a generic HTTP recorder for SMS providers.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature, SIGNATURE_HEADER, TIMESTAMP_HEADER, IDEMPOTENCY_HEADER } from './channels/webhook-signature.ts';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Stub {
  url: string;
  requests: RecordedRequest[];
  /** Decides the response to each request (default 200 {}). */
  respond: (req: RecordedRequest, res: http.ServerResponse) => void;
  close(): Promise<void>;
}

export async function startStub(respond?: Stub['respond']): Promise<Stub> {
  const stub = {
    requests: [] as RecordedRequest[],
    respond: respond ?? ((_r: RecordedRequest, res: http.ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}')),
  } as Stub;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      stub.requests.push(r);
      stub.respond(r, res);
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  stub.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return stub;
}

export interface WebhookReceiver extends Stub {
  /** Idempotency keys accepted (first delivery of each). */
  accepted: Map<string, unknown>;
  /** Deliveries per idempotency key, including repeats. */
  deliveries: Map<string, number>;
  rejected: number;
}

/** A shop backend: verifies the signature, accepts each idempotency key once, acks repeats. */
export async function startWebhookReceiver(secret: string, opts: { fail?: (key: string, n: number) => number | 'hang' | null } = {}): Promise<WebhookReceiver> {
  const accepted = new Map<string, unknown>();
  const deliveries = new Map<string, number>();
  const rx = (await startStub()) as WebhookReceiver;
  rx.accepted = accepted;
  rx.deliveries = deliveries;
  rx.rejected = 0;
  rx.respond = (r, res) => {
    const v = verifyWebhookSignature({
      secret,
      body: r.body,
      timestamp: r.headers[TIMESTAMP_HEADER] as string,
      signature: r.headers[SIGNATURE_HEADER] as string,
    });
    if (!v.ok) {
      rx.rejected++;
      res.writeHead(401).end();
      return;
    }
    const key = r.headers[IDEMPOTENCY_HEADER] as string;
    const n = (deliveries.get(key) ?? 0) + 1;
    deliveries.set(key, n);
    const f = opts.fail?.(key, n);
    if (f === 'hang') return; // never answers: the sender is killed or times out
    if (typeof f === 'number') {
      res.writeHead(f).end();
      return;
    }
    if (!accepted.has(key)) accepted.set(key, JSON.parse(r.body));
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  };
  return rx;
}
