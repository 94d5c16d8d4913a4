// A small shop schema on the real MariaDB (FANZHA_TEST_MYSQL, default root@127.0.0.1:3306/test),
// under a random table prefix so parallel runs never share tables, with the mapping file for it.
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { connectionOptions } from './mysql.source.ts';
import type { MysqlMapping } from './mysql.mapping.ts';

export const MYSQL_URL = process.env.FANZHA_TEST_MYSQL ?? 'mysql://root@127.0.0.1:3306/test';

export interface TestShop {
  conn: mysql.Connection;
  t: { customers: string; staff: string; orders: string; items: string; refunds: string };
  mapping: MysqlMapping;
  drop(): Promise<void>;
}

export async function createTestShop(): Promise<TestShop> {
  const conn = await mysql.createConnection({ ...connectionOptions(MYSQL_URL), multipleStatements: true });
  const p = `fz${randomBytes(4).toString('hex')}`;
  const t = { customers: `${p}_customer`, staff: `${p}_admin_user`, orders: `${p}_order`, items: `${p}_order_item`, refunds: `${p}_refund` };
  await conn.query(`
    CREATE TABLE ${t.customers} (id INT PRIMARY KEY, real_name VARCHAR(100), mobile VARCHAR(40), mail VARCHAR(200), prov VARCHAR(40), city VARCHAR(60), street VARCHAR(300), modified DATETIME) ENGINE=InnoDB;
    CREATE TABLE ${t.staff} (uid VARCHAR(40) PRIMARY KEY, display_name VARCHAR(100), dept VARCHAR(100)) ENGINE=InnoDB;
    CREATE TABLE ${t.orders} (order_no VARCHAR(40) PRIMARY KEY, buyer_id INT, pay_amount DECIMAL(12,2), created DATETIME) ENGINE=InnoDB;
    CREATE TABLE ${t.items} (id INT AUTO_INCREMENT PRIMARY KEY, order_no VARCHAR(40), sku VARCHAR(60), goods_name VARCHAR(200), price DECIMAL(12,2), num INT) ENGINE=InnoDB;
    CREATE TABLE ${t.refunds} (refund_no VARCHAR(40) PRIMARY KEY, order_no VARCHAR(40), state TINYINT, memo VARCHAR(200), updated DATETIME) ENGINE=InnoDB;
  `);
  const mapping: MysqlMapping = {
    timezone: '+08:00',
    customers: {
      table: t.customers,
      id: 'id',
      at: 'modified',
      columns: { name: 'real_name', phone: 'mobile', email: 'mail', province: 'prov', city: 'city', line: 'street' },
    },
    staff: { table: t.staff, id: 'uid', columns: { name: 'display_name', team: 'dept' } },
    orders: { table: t.orders, id: 'order_no', at: 'created', columns: { customerId: 'buyer_id', total: 'pay_amount' } },
    orderItems: { table: t.items, orderId: 'order_no', columns: { sku: 'sku', title: 'goods_name', price: 'price', quantity: 'num' } },
    refunds: {
      table: t.refunds,
      id: 'refund_no',
      at: 'updated',
      columns: { orderId: 'order_no', reason: 'memo' },
      status: { column: 'state', values: { '0': 'refund.requested', '1': 'refund.completed', '2': 'refund.cancelled' } },
    },
  };
  return {
    conn,
    t,
    mapping,
    async drop() {
      await conn.query(
        Object.values(t)
          .map((x) => `DROP TABLE IF EXISTS ${x};`)
          .join(' '),
      );
      await conn.end();
    },
  };
}

/** Customer row `j` of the test shop, column by column. */
export const customerRow = (j: number) => ({
  id: j,
  real_name: `客户${j}`,
  mobile: `138${String(j).padStart(8, '0')}`,
  mail: `c${j}@example.com`,
  prov: '广东省',
  city: '深圳市',
  street: `南山区${j}号`,
  modified: '2026-12-01 10:00:00',
});

/** Inserts customers id from..to-1, `perTxn` rows per transaction. */
export async function insertCustomers(conn: mysql.Connection, table: string, from: number, to: number, perTxn = 10) {
  for (let i = from; i < to; i += perTxn) {
    const rows = [];
    for (let j = i; j < Math.min(to, i + perTxn); j++) rows.push(Object.values(customerRow(j)));
    await conn.query(`INSERT INTO ${table} VALUES ?`, [rows]);
  }
}
