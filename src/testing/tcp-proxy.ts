// A TCP proxy a test controls, between the app and a real server, to produce network faults:
//   pass    forward both ways (the normal case)
//   refuse  the server is down: open connections are reset, nothing listens (ECONNREFUSED)
//   hold    accept and keep every socket open but forward nothing, new or open (a partition that
//           drops packets silently, or a server frozen by a stuck disk)
//   drop    reset every open connection, and every new one as soon as it is accepted (a firewall or
//           middlebox that kills connections; the port still answers)
// Data held while in `hold` is released when the mode goes back to `pass`.
import net from 'node:net';

export type ProxyMode = 'pass' | 'refuse' | 'hold' | 'drop';

interface Pair {
  client: net.Socket;
  server: net.Socket;
  /** Data that arrived while holding, in arrival order, with the socket it is for. */
  held: [net.Socket, Buffer][];
}

export class TcpProxy {
  private server: net.Server | null = null;
  private readonly pairs = new Set<Pair>();
  private modeNow: ProxyMode = 'pass';
  port = 0;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** Starts a proxy on 127.0.0.1 (a free port) in front of host:port. */
  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const p = new TcpProxy(targetHost, targetPort);
    await p.listen();
    return p;
  }

  get mode(): ProxyMode {
    return this.modeNow;
  }

  /** Connections currently open through the proxy. */
  get connections(): number {
    return this.pairs.size;
  }

  /** Replaces host:port in a URL with the proxy's address. */
  url(target: string): string {
    const u = new URL(target);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  async setMode(mode: ProxyMode): Promise<void> {
    const before = this.modeNow;
    this.modeNow = mode;
    if (mode === 'refuse') await this.unlisten();
    else if (before === 'refuse') await this.listen();
    if (mode === 'drop' || mode === 'refuse') for (const p of this.pairs) this.reset(p);
    if (mode === 'pass') for (const p of this.pairs) for (const [to, d] of p.held.splice(0)) to.write(d);
  }

  async close(): Promise<void> {
    for (const p of this.pairs) this.reset(p);
    await this.unlisten();
  }

  private forward(p: Pair, to: net.Socket, d: Buffer) {
    if (this.modeNow === 'hold' || p.held.length) p.held.push([to, d]);
    else to.write(d);
  }

  private reset(p: Pair) {
    p.client.resetAndDestroy();
    p.server.destroy();
    this.pairs.delete(p);
  }

  private accept(client: net.Socket) {
    if (this.modeNow === 'drop') {
      client.resetAndDestroy();
      return;
    }
    const server = net.connect(this.targetPort, this.targetHost);
    const pair: Pair = { client, server, held: [] };
    this.pairs.add(pair);
    client.on('data', (d: Buffer) => this.forward(pair, server, d));
    server.on('data', (d: Buffer) => this.forward(pair, client, d));
    const end = () => {
      if (!this.pairs.delete(pair)) return;
      client.destroy();
      server.destroy();
    };
    client.on('error', end).on('close', end);
    server.on('error', end).on('close', end);
  }

  private listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const s = net.createServer((c) => this.accept(c));
      s.once('error', reject);
      // the same port after a `refuse`, so clients configured with the proxy's URL come back
      s.listen(this.port, '127.0.0.1', () => {
        this.port = (s.address() as net.AddressInfo).port;
        this.server = s;
        resolve();
      });
    });
  }

  private unlisten(): Promise<void> {
    const s = this.server;
    this.server = null;
    // close() stops accepting at once (its callback would wait for the open connections, which stay)
    s?.close();
    return new Promise((r) => setImmediate(r));
  }
}
