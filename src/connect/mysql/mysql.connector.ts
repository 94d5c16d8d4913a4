// `fanzha connect mysql`: an initial snapshot of the mapped tables, then the binlog (row format)
// from the position the snapshot matches. Events are committed in batches that end on a
// transaction boundary of the shop's database; the position after each batch is saved once the
// batch is stored. Event ids come from where a change sits in the binlog (file, offset, row) or
// the snapshot (its position, table, key), so a batch replayed after a crash — stored, position
// not yet saved — is stored once: nothing lost, nothing twice.
import ZongJi from '@vlasky/zongji';
import { connectionOptions, MysqlSource, type BinlogPosition } from './mysql.source.ts';
import { RowMapper, type Row, type ShopEvent } from './mysql.events.ts';
import { sectionOf, type MappedSection, type MysqlMapping } from './mysql.mapping.ts';
import type { PositionStore } from '../connect.positions.ts';
import { EventSink, problemLine } from '../connect.sink.ts';

export type MysqlSaved =
  { phase: 'snapshot'; file: string; pos: number; section: number; after: string | number | null } | { phase: 'stream'; file: string; pos: number };

export interface MysqlConnectorOptions {
  url: string;
  mapping: MysqlMapping;
  /** Row in connector_positions (default mysql:HOST:PORT/DB). */
  name?: string;
  /** Events per committed batch (a batch still ends on a transaction boundary). */
  batchSize?: number;
  /** A smaller batch is committed after this long without a full one. */
  flushMs?: number;
  /** Reports progress and rejected events (never their values). */
  log?: (line: string) => void;
}

/** Snapshot order: principals and customers before the orders and refunds that name them. */
const SNAPSHOT: readonly Exclude<MappedSection, 'orderItems'>[] = ['staff', 'customers', 'orders', 'refunds'];
const PAGE = 1000;

interface BinlogEvent {
  getEventName(): string;
  nextPosition: number;
  timestamp: number;
  binlogName?: string;
  query?: string;
  tableId?: number;
  tableMap?: Record<number, { tableName: string; parentSchema: string }>;
  rows?: (Row | { before: Row; after: Row })[];
}

export class MysqlConnector {
  readonly sink: EventSink;
  private readonly mapper: RowMapper;
  private readonly name: string;
  private readonly batchSize: number;
  private readonly log: (line: string) => void;

  constructor(
    events: ConstructorParameters<typeof EventSink>[0],
    private readonly positions: PositionStore,
    private readonly opts: MysqlConnectorOptions,
  ) {
    this.sink = new EventSink(events);
    this.mapper = new RowMapper(opts.mapping);
    const c = connectionOptions(opts.url);
    this.name = opts.name ?? `mysql:${c.host}:${c.port}/${c.database}`;
    this.batchSize = opts.batchSize ?? 1000;
    this.log = opts.log ?? (() => {});
  }

  /** Snapshot (unless already done), then stream until `signal` aborts; resolves once the last batch is saved. */
  async run(signal: AbortSignal): Promise<void> {
    const source = await MysqlSource.open(this.opts.url, this.opts.mapping);
    try {
      await source.checkBinlog();
      let saved = await this.positions.get<MysqlSaved>(this.name);
      if (!saved || saved.phase === 'snapshot') saved = await this.snapshot(source, saved, signal);
      if (!signal.aborted) await this.stream(source, saved, signal);
    } finally {
      await source.close();
    }
  }

  private async commit(batch: readonly ShopEvent[], position: MysqlSaved) {
    if (batch.length) {
      const r = await this.sink.write(batch);
      for (const x of r.rejected) this.log(`rejected ${x.id ?? `#${x.index}`}: ${problemLine(x.problem)}`);
    }
    await this.positions.set(this.name, position);
  }

  private async snapshot(source: MysqlSource, saved: MysqlSaved | null, signal: AbortSignal): Promise<MysqlSaved> {
    const m = this.opts.mapping;
    const at = await source.beginSnapshot();
    // a resumed snapshot keeps its first position: the ids of what it already stored stay the same
    const start: BinlogPosition = saved ? { file: saved.file, pos: saved.pos } : at;
    try {
      for (let s = saved?.phase === 'snapshot' ? saved.section : 0; s < SNAPSHOT.length; s++) {
        const section = SNAPSHOT[s]!;
        const def = m[section];
        if (!def) continue;
        let after = saved?.phase === 'snapshot' && saved.section === s ? saved.after : null;
        for (;;) {
          if (signal.aborted) return { phase: 'snapshot', ...start, section: s, after };
          const rows = await source.page(def.table, def.id, after, PAGE);
          if (!rows.length) break;
          const id = (row: Row) => `mysql:snap:${start.file}:${start.pos}:${section}:${String(row[def.id])}`;
          const now = Date.now();
          let events: (ShopEvent | null)[];
          if (section === 'orders') {
            const full = await source.ordersWithItems(rows.map((r) => String(r[def.id])));
            events = full.map((o) => this.mapper.order(o.order, o.items, id(o.order), now));
          } else events = rows.map((r) => this.rowEvent(section, r, undefined, id(r), now));
          after = rows[rows.length - 1]![def.id] as string | number;
          await this.commit(
            events.filter((e): e is ShopEvent => e !== null),
            { phase: 'snapshot', ...start, section: s, after },
          );
          this.log(`snapshot ${def.table}: up to key ${String(after)}`);
        }
      }
    } finally {
      await source.endSnapshot();
    }
    const done: MysqlSaved = { phase: 'stream', ...start };
    await this.positions.set(this.name, done);
    return done;
  }

  private rowEvent(section: MappedSection, row: Row, before: Row | undefined, id: string, whenMs: number): ShopEvent | null {
    if (section === 'customers') return this.mapper.customer(row, id, whenMs);
    if (section === 'staff') return this.mapper.principal(row, id, whenMs);
    if (section === 'refunds') return this.mapper.refund(row, before, id, whenMs);
    return null;
  }

  private stream(source: MysqlSource, from: MysqlSaved, signal: AbortSignal): Promise<void> {
    const m = this.opts.mapping;
    const zongji = new ZongJi({ ...connectionOptions(this.opts.url) });
    let file = from.file;
    // the shop transaction being read: its row events, and the orders it touched (directly or by their items)
    let txn: ShopEvent[] = [];
    let touched = new Set<string>();
    let pending: ShopEvent[] = [];
    let pendingAt: MysqlSaved | null = null;
    let chain: Promise<void> = Promise.resolve();
    let failed: unknown = null;

    const flush = async () => {
      if (!pendingAt) return;
      const batch = pending;
      const at = pendingAt;
      pending = [];
      pendingAt = null;
      await this.commit(batch, at);
      if (batch.length) this.log(`binlog ${at.file}:${at.pos}: ${batch.length} events`);
    };

    const endTxn = async (e: BinlogEvent) => {
      const ids = [...touched];
      const orders = m.orders ? await source.ordersWithItems(ids) : [];
      const orderEvents = orders.map((o) =>
        this.mapper.order(o.order, o.items, `mysql:${file}:${e.nextPosition}:order:${this.mapper.orderIdOf(o.order)}`, e.timestamp),
      );
      // principals and customers, then orders, then refunds: the order an investigation reads them in
      const rank = (t: string) => (t === 'principal.upserted' || t === 'customer.upserted' ? 0 : t === 'order.placed' ? 1 : 2);
      const all = [...txn, ...orderEvents.filter((x): x is ShopEvent => x !== null)].sort((a, b) => rank(a.type) - rank(b.type));
      txn = [];
      touched = new Set();
      pending.push(...all);
      pendingAt = { phase: 'stream', file, pos: e.nextPosition };
      if (pending.length >= this.batchSize) await flush();
    };

    const handle = async (e: BinlogEvent) => {
      const kind = e.getEventName();
      if (kind === 'rotate') {
        if (e.binlogName) file = e.binlogName;
        return;
      }
      if (kind === 'xid' || (kind === 'query' && e.query === 'COMMIT')) return endTxn(e);
      if (kind !== 'writerows' && kind !== 'updaterows') return; // deletes: fanzha keeps what happened
      const table = e.tableMap?.[e.tableId!];
      if (!table || table.parentSchema !== source.database) return;
      const section = sectionOf(m, table.tableName);
      if (!section) return;
      e.rows!.forEach((r, i) => {
        const [row, before] = 'after' in r && 'before' in r ? [r.after as Row, r.before as Row] : [r as Row, undefined];
        if (section === 'orders') {
          const id = this.mapper.orderIdOf(row);
          if (id) touched.add(id);
        } else if (section === 'orderItems') {
          const id = this.mapper.orderOfItem(row);
          if (id) touched.add(id);
        } else {
          const ev = this.rowEvent(section, row, before, `mysql:${file}:${e.nextPosition}:${i}`, e.timestamp);
          if (ev) txn.push(ev);
        }
      });
    };

    return new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        chain = chain.then(flush).catch(fail);
      }, this.opts.flushMs ?? 200);
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        clearInterval(timer);
        zongji.stop();
        chain.then(flush).then(() => (failed ? reject(failed) : resolve()), reject);
      };
      const fail = (err: unknown) => {
        if (failed) return;
        failed = err;
        finish();
      };
      zongji.on('binlog', (e: BinlogEvent) => {
        chain = chain.then(() => (failed ? undefined : handle(e))).catch(fail);
      });
      zongji.on('error', fail);
      signal.addEventListener('abort', finish, { once: true });
      const tables = [
        ...new Set(['customers', 'staff', 'orders', 'orderItems', 'refunds'].map((s) => m[s as MappedSection]?.table).filter((t): t is string => !!t)),
      ];
      zongji.start({
        serverId: 100_000 + Math.floor(Math.random() * 1_000_000_000),
        filename: from.file,
        position: from.pos,
        includeEvents: ['rotate', 'tablemap', 'writerows', 'updaterows', 'xid', 'query'],
        includeSchema: { [source.database]: tables },
      });
    });
  }
}
