// Loading typed columns into DuckDB tables for the benchmarks that compare with it: rows in
// chunks of 2,048 (DuckDB's vector size) through an appender.
import { DuckDBDataChunk, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';

/** Appends n rows; column j of rows [i, i + m) is cols[j](i, m). */
export async function appendColumns(con: DuckDBConnection, table: string, types: DuckDBType[], n: number, cols: ((i: number, m: number) => number[])[]) {
  const app = await con.createAppender(table);
  const CH = 2048;
  for (let i = 0; i < n; i += CH) {
    const m = Math.min(CH, n - i);
    const chunk = DuckDBDataChunk.create(types, m);
    cols.forEach((col, j) => chunk.setColumnValues(j, col(i, m)));
    app.appendDataChunk(chunk);
  }
  app.closeSync();
}

/** (customer, stratum) for every customer in the population (stratum > 0). */
export async function appendStrata(con: DuckDBConnection, table: string, stratum: Uint8Array) {
  const pa = await con.createAppender(table);
  for (let c = 0; c < stratum.length; c++) {
    if (!stratum[c]) continue;
    pa.appendInteger(c);
    pa.appendInteger(stratum[c]!);
    pa.endRow();
  }
  pa.closeSync();
}
