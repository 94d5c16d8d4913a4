// The rows of bench/index-scale.ts, generated inside PostgreSQL (INSERT … SELECT over
// generate_series, in slices so that progress shows and a slice is one transaction): a migrated
// fanzha schema whose access_log holds N reads by N/5,000 principals of N/20 customers (three
// orders each) over 120 days, with a planted leaker reading 50 victims. No hash chain (rows are
// legacy rows, pos NULL): the index never reads the chain. The same arithmetic in `plan` tells the
// benchmark which customers are the victims and when they were contacted.
import pg from 'pg';
import { openDatabase, migrateToLatest } from '../../src/db/database.ts';
import { FIELD_BIT } from '../../src/lib/fields.ts';

const DAY = 86_400_000;
export const T0 = Date.UTC(2026, 0, 1);
export const SPAN_DAYS = 120;
export const LEAKER = 'emp_leaker';
export const LEAKED_FIELDS = FIELD_BIT.name | FIELD_BIT.phone | FIELD_BIT.address | FIELD_BIT.items | FIELD_BIT.orderNo;

export function plan(n: number) {
  const customers = Math.max(1000, Math.floor(n / 20));
  const principals = Math.max(50, Math.floor(n / 5000));
  const leakStep = Math.max(1, Math.floor(n / 2000)); // 2,000 leaker reads whatever N
  const victims = Array.from({ length: 50 }, (_, k) => (k * 7919 + 13) % customers);
  return { n, customers, principals, leakStep, victims, end: T0 + SPAN_DAYS * DAY };
}

/** Customer id of index c (what the SQL below writes). */
export const customerId = (c: number) => `cus_${String(c).padStart(10, '0')}`;

// the knuth multiplicative hash, in bigint arithmetic that stays below 2^63
const h = (salt: number) => `((g * 2654435761 + ${salt}) % 4294967296)`;

export async function generate(url: string, schema: string, n: number, log: (s: string) => void): Promise<void> {
  const p = plan(n);
  const database = openDatabase({ kind: 'postgres', url }, { schema });
  await migrateToLatest(database);
  await database.close();
  const c = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await c.connect();
  // only the seq primary key is read by the index loader; the other access_log indexes would
  // triple the insert time and are not part of what is measured
  for (const ix of ['access_log_principal_at', 'access_log_customer', 'access_log_order', 'access_log_shard_pos']) await c.query(`DROP INDEX IF EXISTS ${ix}`);
  await c.query('ALTER TABLE access_log SET UNLOGGED');
  const have = Number((await c.query('SELECT coalesce(max(seq), 0) AS m FROM access_log')).rows[0].m);
  const SLICE = 5_000_000;
  const masks = [
    FIELD_BIT.name | FIELD_BIT.phone,
    FIELD_BIT.items | FIELD_BIT.price,
    FIELD_BIT.name | FIELD_BIT.address | FIELD_BIT.orderNo,
    FIELD_BIT.refund | FIELD_BIT.orderNo | FIELD_BIT.price,
    FIELD_BIT.phone,
    FIELD_BIT.name | FIELD_BIT.phone | FIELD_BIT.email | FIELD_BIT.address | FIELD_BIT.items | FIELD_BIT.placedAt,
  ];
  const span = SPAN_DAYS * DAY;
  for (let a = have + 1; a <= n; a += SLICE) {
    const b = Math.min(n, a + SLICE - 1);
    const t = performance.now();
    const leak = `(g % ${p.leakStep} = 7)`;
    const victim = `(ARRAY[${p.victims.join(',')}])[1 + (g / ${p.leakStep}) % 50]`;
    const cust = `(CASE WHEN ${leak} THEN ${victim} ELSE ${h(11)} % ${p.customers} END)`;
    await c.query(`
      INSERT INTO access_log (seq, source, principal_id, customer_id, order_id, fields, channel, at, recorded_at, shard)
      SELECT g, 'bench',
        CASE WHEN ${leak} THEN '${LEAKER}' ELSE 'emp_' || lpad((${h(29)} % ${p.principals})::text, 6, '0') END,
        'cus_' || lpad(${cust}::text, 10, '0'),
        CASE WHEN g % 2 = 0 AND NOT ${leak} THEN NULL ELSE 'ord_' || lpad(${cust}::text, 10, '0') || '_' || (g % 3) END,
        CASE WHEN ${leak} THEN ${LEAKED_FIELDS} ELSE (ARRAY[${masks.join(',')}])[1 + ${h(47)} % ${masks.length}] END,
        (ARRAY['console','console','api','export','batch'])[1 + ${h(53)} % 5],
        ${T0} + floor(g::float8 * ${span} / ${n})::bigint + ${h(71)} % 60000,
        ${T0} + floor(g::float8 * ${span} / ${n})::bigint + 60000,
        0
      FROM generate_series(${a}::bigint, ${b}::bigint) g`);
    log(`generated reads ${a}..${b} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  await c.query(`SELECT setval(pg_get_serial_sequence('access_log', 'seq'), ${n})`);
  await c.query('ANALYZE access_log');
  await c.end();
}
