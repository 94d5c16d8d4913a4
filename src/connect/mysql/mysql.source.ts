// Reads the shop's MySQL/MariaDB with plain queries (mysql2): the snapshot pages, the binlog
// position a snapshot starts from, and the current row and items of orders a change touched.
import mysql from 'mysql2/promise';
import type { MysqlMapping } from './mysql.mapping.ts';
import type { Row } from './mysql.events.ts';

export interface BinlogPosition {
  file: string;
  pos: number;
}

const q = (name: string) => '`' + name.replace(/`/g, '``') + '`';

/** mysql://USER[:PASSWORD]@HOST[:PORT]/DB → mysql2 options; dates come back as the shop's wall-clock text. */
export function connectionOptions(url: string) {
  const u = new URL(url);
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') throw new Error('--url must be mysql://USER@HOST:PORT/DB');
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database) throw new Error('--url must name the database: mysql://USER@HOST:PORT/DB');
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    database,
    dateStrings: true as const,
    supportBigNumbers: true,
    bigNumberStrings: true,
  };
}

export class MysqlSource {
  private constructor(
    private readonly conn: mysql.Connection,
    private readonly mapping: MysqlMapping,
    readonly database: string,
  ) {}

  static async open(url: string, mapping: MysqlMapping): Promise<MysqlSource> {
    const o = connectionOptions(url);
    return new MysqlSource(await mysql.createConnection(o), mapping, o.database);
  }

  close() {
    return this.conn.end();
  }

  /** Fails plainly when the server does not log rows (the connector needs log_bin=ON, binlog_format=ROW). */
  async checkBinlog(): Promise<void> {
    const [rows] = await this.conn.query<mysql.RowDataPacket[]>("SHOW VARIABLES WHERE Variable_name IN ('log_bin', 'binlog_format', 'binlog_row_image')");
    const v = Object.fromEntries(rows.map((r) => [String(r.Variable_name), String(r.Value).toUpperCase()]));
    if (v.log_bin !== 'ON') throw new Error('the server has no binary log: set log_bin and binlog_format=ROW in its configuration and restart it');
    if (v.binlog_format !== 'ROW') throw new Error(`binlog_format is ${v.binlog_format}; the connector needs ROW`);
    if (v.binlog_row_image && v.binlog_row_image !== 'FULL') throw new Error(`binlog_row_image is ${v.binlog_row_image}; the connector needs FULL`);
  }

  /**
   * Opens a consistent read and returns the binlog position it matches: MariaDB reports it exactly
   * (binlog_snapshot_file/position); MySQL's current position may be a little later, so a change
   * made meanwhile is seen by the snapshot and again by the stream (an upsert, harmless).
   */
  async beginSnapshot(): Promise<BinlogPosition> {
    await this.conn.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await this.conn.query('START TRANSACTION WITH CONSISTENT SNAPSHOT');
    const [st] = await this.conn.query<mysql.RowDataPacket[]>("SHOW STATUS LIKE 'binlog_snapshot_%'");
    const s = Object.fromEntries(st.map((r) => [String(r.Variable_name), String(r.Value)]));
    if (s.Binlog_snapshot_file) return { file: s.Binlog_snapshot_file, pos: Number(s.Binlog_snapshot_position) };
    return this.currentPosition();
  }

  async endSnapshot() {
    await this.conn.query('COMMIT');
  }

  async currentPosition(): Promise<BinlogPosition> {
    const [rows] = await this.conn.query<mysql.RowDataPacket[]>('SHOW MASTER STATUS');
    const r = rows[0];
    if (!r) throw new Error('SHOW MASTER STATUS returned nothing: is the binary log enabled?');
    return { file: String(r.File), pos: Number(r.Position) };
  }

  /** One page of a table in key order, after `after` (the key of the last row already taken). */
  async page(table: string, key: string, after: string | number | null, limit: number): Promise<Row[]> {
    const where = after === null ? '' : `WHERE ${q(key)} > ?`;
    const [rows] = await this.conn.query<mysql.RowDataPacket[]>(
      `SELECT * FROM ${q(table)} ${where} ORDER BY ${q(key)} LIMIT ${Number(limit)}`,
      after === null ? [] : [after],
    );
    return rows as Row[];
  }

  /** Current order rows and their items, for the orders a batch touched. */
  async ordersWithItems(orderIds: readonly string[]): Promise<{ order: Row; items: Row[] }[]> {
    if (!orderIds.length) return [];
    const o = this.mapping.orders!;
    const it = this.mapping.orderItems!;
    const [orders] = await this.conn.query<mysql.RowDataPacket[]>(`SELECT * FROM ${q(o.table)} WHERE ${q(o.id)} IN (?)`, [orderIds]);
    const [items] = await this.conn.query<mysql.RowDataPacket[]>(`SELECT * FROM ${q(it.table)} WHERE ${q(it.orderId)} IN (?)`, [orderIds]);
    const byOrder = new Map<string, Row[]>();
    for (const i of items) {
      const k = String(i[it.orderId]);
      byOrder.set(k, [...(byOrder.get(k) ?? []), i as Row]);
    }
    return orders.map((r) => ({ order: r as Row, items: byOrder.get(String(r[o.id])) ?? [] }));
  }
}
