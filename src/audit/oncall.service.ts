// Pushes alerts to the on-call analysts where they work: group robots (DingTalk, WeCom, Feishu), a
// generic signed webhook and e-mail, each target with its least severity. The same alert (kind and
// principal) is pushed once per dedup period; when one target would get more than `flood.max`
// messages in a window, the rest are held and sent as one digest at the window's end (a robot
// takes 20 messages a minute, and an analyst reads one summary better than fifty pings).
// Alerts are counted by kind and severity in /metrics whether or not a target is configured.
// Several nodes do not push the same alert twice: alerts are stored once (audit_alerts' dedup key)
// and only the node whose insert won pushes.
import type { Logger } from 'pino';
import nodemailer, { type Transporter } from 'nodemailer';
import { Counter, type Registry } from 'prom-client';
import { SEVERITIES, type OnCallConfig, type OnCallTarget, type Severity } from './oncall.config.ts';
import { accepted, dingtalkRequest, feishuRequest, webhookRequest, wecomRequest, type OnCallMessage, type RobotRequest } from './oncall.robots.ts';

export interface OnCallAlert {
  /** The rule or source (volume-spike, off-hours-bulk, canary-trip…): a metrics label. */
  kind: string;
  severity: Severity;
  /** Dedup key: the same key within the dedup period is pushed once. */
  key: string;
  title: string;
  text: string;
  data: Record<string, unknown>;
}

interface TargetState {
  target: OnCallTarget;
  name: string;
  windowStart: number;
  sent: number;
  held: OnCallAlert[];
  timer?: NodeJS.Timeout;
}

const rank = (s: Severity) => SEVERITIES.indexOf(s);

export class OnCallService {
  private readonly states: TargetState[];
  private readonly lastPushed = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly alerts?: Counter<'kind' | 'severity'>;
  private readonly pushes?: Counter<'target' | 'outcome'>;
  private mailer?: Transporter;

  constructor(
    private readonly cfg: OnCallConfig,
    private readonly logger: Logger,
    registry?: Registry,
    private readonly now: () => number = Date.now,
  ) {
    this.states = cfg.targets.map((target, i) => ({ target, name: target.name ?? `${target.kind}-${i + 1}`, windowStart: 0, sent: 0, held: [] }));
    if (registry) {
      this.alerts = new Counter({
        name: 'fanzha_alerts_total',
        help: 'Alerts raised, by kind (rule or source) and severity',
        labelNames: ['kind', 'severity'] as const,
        registers: [registry],
      });
      this.pushes = new Counter({
        name: 'fanzha_alert_pushes_total',
        help: 'On-call pushes by target and outcome (sent, digest, duplicate, held, failed)',
        labelNames: ['target', 'outcome'] as const,
        registers: [registry],
      });
    }
  }

  /** A new alert: counted, then pushed to every target whose least severity it reaches. */
  push(a: OnCallAlert): void {
    this.alerts?.inc({ kind: a.kind, severity: a.severity });
    const now = this.now();
    const last = this.lastPushed.get(a.key);
    if (last !== undefined && now - last < this.cfg.dedupMinutes * 60_000) {
      this.pushes?.inc({ target: 'all', outcome: 'duplicate' });
      return;
    }
    this.lastPushed.set(a.key, now);
    for (const s of this.states) {
      if (rank(a.severity) < rank(s.target.minSeverity ?? 'medium')) continue;
      const windowMs = this.cfg.flood.windowSeconds * 1000;
      if (now - s.windowStart >= windowMs) {
        s.windowStart = now;
        s.sent = 0;
      }
      if (s.sent < this.cfg.flood.max) {
        s.sent++;
        this.track(this.send(s, message(a), 'sent'));
        continue;
      }
      s.held.push(a);
      this.pushes?.inc({ target: s.name, outcome: 'held' });
      // unref: a pending digest does not keep a CLI run alive (close() flushes it)
      s.timer ??= setTimeout(() => this.flushDigest(s), Math.max(0, s.windowStart + windowMs - now)).unref();
    }
  }

  /** Sends every held digest now and waits for the pushes in flight (tests, shutdown). */
  async flush(): Promise<void> {
    for (const s of this.states) if (s.held.length) this.flushDigest(s);
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  async close(): Promise<void> {
    await this.flush();
    this.mailer?.close();
  }

  private flushDigest(s: TargetState) {
    if (s.timer) clearTimeout(s.timer);
    s.timer = undefined;
    const held = s.held.splice(0);
    if (!held.length) return;
    s.windowStart = this.now();
    s.sent = 1;
    this.track(this.send(s, digest(held), 'digest'));
  }

  private track(p: Promise<void>) {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async send(s: TargetState, m: OnCallMessage, outcome: 'sent' | 'digest'): Promise<void> {
    const t = s.target;
    try {
      if (t.kind === 'email') await this.mail(t, m);
      else {
        const req = this.request(t, m);
        const res = await fetch(req.url, { method: 'POST', headers: req.headers, body: req.body, signal: AbortSignal.timeout(this.cfg.timeoutMs) });
        const body = await res.text();
        if (!accepted(t.kind, res.status, body)) throw new Error(`${t.kind} answered HTTP ${res.status}`);
      }
      this.pushes?.inc({ target: s.name, outcome });
    } catch (e) {
      this.pushes?.inc({ target: s.name, outcome: 'failed' });
      // the URL carries the robot's key: never logged
      this.logger.warn({ target: s.name, kind: t.kind, err: { name: (e as Error).name, message: (e as Error).message.slice(0, 120) } }, 'on-call push failed');
    }
  }

  private request(t: OnCallTarget, m: OnCallMessage): RobotRequest {
    const url = t.url!;
    const now = this.now();
    switch (t.kind) {
      case 'dingtalk':
        return dingtalkRequest(url, t.secret, m, now);
      case 'feishu':
        return feishuRequest(url, t.secret, m, now);
      case 'wecom':
        return wecomRequest(url, m);
      default:
        return webhookRequest(url, t.secret!, m, now);
    }
  }

  private async mail(t: OnCallTarget, m: OnCallMessage) {
    const smtp = this.cfg.smtp!;
    this.mailer ??= nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure ?? false,
      ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.pass ?? '' } } : {}),
      connectionTimeout: this.cfg.timeoutMs,
      socketTimeout: this.cfg.timeoutMs,
    });
    await this.mailer.sendMail({ from: smtp.from, to: t.to!, subject: `[fanzha] ${m.title}`, text: m.text });
  }
}

function message(a: OnCallAlert): OnCallMessage {
  return { title: `[${a.severity}] ${a.title}`, text: a.text, data: { kind: a.kind, severity: a.severity, ...a.data } };
}

/** One message for many held alerts: counts by kind and severity, and the first titles. */
export function digest(held: readonly OnCallAlert[]): OnCallMessage {
  const counts = new Map<string, number>();
  for (const a of held) counts.set(`${a.kind} (${a.severity})`, (counts.get(`${a.kind} (${a.severity})`) ?? 0) + 1);
  const worst = held.reduce<Severity>((w, a) => (rank(a.severity) > rank(w) ? a.severity : w), 'low');
  const lines = [...counts.entries()].map(([k, n]) => `- ${k}: ${n}`);
  const first = held.slice(0, 10).map((a) => `- ${a.title}`);
  return {
    title: `[${worst}] ${held.length} more alerts (digest)`,
    text: [...lines, '', ...first, ...(held.length > 10 ? [`- … and ${held.length - 10} more in the console`] : [])].join('\n'),
    data: { kind: 'digest', severity: worst, count: held.length, byKind: Object.fromEntries(counts) },
  };
}
