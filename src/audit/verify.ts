// Verification of the chain: streams every entry in position order, recomputes each hash, and
// reports the FIRST position where the log differs from what was appended — an edited, inserted,
// deleted or reordered entry breaks the hash (or the position sequence) exactly there; a truncated
// tail shows against the head row and against every signed checkpoint the verifier holds. A whole
// rewrite with recomputed hashes is caught by the checkpoints (which a database administrator
// cannot forge without the signing key).
import type { Database } from '../db/database.ts';
import { chainHash, GENESIS_HASH, CHAIN_COLUMNS, type ChainedRow } from './chain.ts';

export type VerifyResult =
  | { intact: true; size: number; head: string; checkpointsChecked: number }
  | { intact: false; position: number; reason: string };

export interface TrustedCheckpoint {
  size: number;
  /** Hex chain hash at that size. */
  hash: string;
}

type Row = ChainedRow & { seq: number };

export class ChainVerifier {
  private expected = 0;
  private prev = GENESIS_HASH;
  private failure: VerifyResult | null = null;
  private readonly cps: TrustedCheckpoint[];
  private cpIndex = 0;
  private lastVouched = 0;

  constructor(
    private readonly key: Buffer,
    checkpoints: readonly TrustedCheckpoint[] = [],
  ) {
    this.cps = [...checkpoints].sort((a, b) => a.size - b.size);
    this.skipEmptyCheckpoints();
  }

  get failed() {
    return this.failure !== null;
  }

  private fail(position: number, reason: string) {
    this.failure ??= { intact: false, position, reason };
  }

  private skipEmptyCheckpoints() {
    while (this.cpIndex < this.cps.length && this.cps[this.cpIndex]!.size === 0) this.cpIndex++;
  }

  /** Feeds the next row in (pos, seq) order; returns false once a failure is found. */
  push(r: Row): boolean {
    if (this.failure) return false;
    const i = this.expected;
    const pos = r.pos === null || r.pos === undefined ? NaN : Number(r.pos);
    if (Number.isNaN(pos)) return this.fail(i, 'an entry without a chain position was inserted'), false;
    if (pos > i) return this.fail(i, `entry ${i} is missing (deleted)`), false;
    if (pos < i) return this.fail(i, `an entry was inserted at position ${i} (duplicate position ${pos})`), false;
    const h = chainHash(this.key, this.prev, i, r);
    if (h !== r.hash) return this.fail(i, `entry ${i} does not match its hash (modified, inserted or reordered)`), false;
    this.prev = h;
    this.expected = i + 1;
    const cp = this.cps[this.cpIndex];
    if (cp && cp.size === this.expected) {
      if (cp.hash !== h) return this.fail(this.lastVouched, `the log up to ${cp.size} entries does not match the signed checkpoint of that size (rewritten at or after position ${this.lastVouched})`), false;
      this.lastVouched = cp.size;
      this.cpIndex++;
      while (this.cpIndex < this.cps.length && this.cps[this.cpIndex]!.size === cp.size) {
        if (this.cps[this.cpIndex]!.hash !== h) return this.fail(this.lastVouched, 'two checkpoints of the same size disagree'), false;
        this.cpIndex++;
      }
    }
    return true;
  }

  /** Ends the stream; `head` is the stored head row (size and hash), if any. */
  finish(head: { size: number; hash: string } | null, strayRows = 0): VerifyResult {
    if (this.failure) return this.failure;
    const n = this.expected;
    if (strayRows > 0) return { intact: false, position: n, reason: 'entries without a chain position were inserted' };
    const cp = this.cps[this.cpIndex];
    if (cp) return { intact: false, position: n, reason: `the log has ${n} entries but a signed checkpoint vouches for ${cp.size} (truncated)` };
    if (head) {
      if (head.size > n) return { intact: false, position: n, reason: `the log has ${n} entries but its head records ${head.size} (truncated)` };
      if (head.size < n) return { intact: false, position: head.size, reason: `entries after the recorded head (${head.size}) were appended outside the chain` };
      if (head.hash !== this.prev) return { intact: false, position: Math.max(0, n - 1), reason: `the last entry does not match the recorded head (modified)` };
    }
    return { intact: true, size: n, head: this.prev, checkpointsChecked: this.cpIndex };
  }
}

const ROW_COLUMNS = ['seq', ...CHAIN_COLUMNS].join(', ');

/** Streams the stored log through a verifier. SQLite iterates one statement; PostgreSQL pages by (pos, seq). */
export async function verifyStoredLog(database: Database, key: Buffer, checkpoints: readonly TrustedCheckpoint[] = [], opts: { ignoreHead?: boolean } = {}): Promise<VerifyResult> {
  const v = new ChainVerifier(key, checkpoints);
  let head: { size: number; hash: string } | null = null;
  let stray = 0;
  if (database.dialect === 'sqlite') {
    const raw = database.sqlite!;
    // One read transaction: a consistent snapshot even while others append.
    const read = raw.transaction(() => {
      for (const r of raw.prepare(`SELECT ${ROW_COLUMNS} FROM access_log WHERE pos IS NOT NULL ORDER BY pos, seq`).iterate() as Iterable<Row>) {
        if (!v.push(r)) break;
      }
      head = (raw.prepare('SELECT size, hash FROM audit_head WHERE id = 1').get() as { size: number; hash: string } | undefined) ?? null;
      stray = (raw.prepare('SELECT count(*) AS n FROM access_log WHERE pos IS NULL').get() as { n: number }).n;
    });
    await database.db.connection().execute(async () => read());
  } else {
    await database.db.transaction().setIsolationLevel('repeatable read').execute(async (trx) => {
      let lastPos = -1;
      let lastSeq = -1;
      for (;;) {
        const rows = (await trx
          .selectFrom('access_log')
          .select(['seq', ...CHAIN_COLUMNS])
          .where('pos', 'is not', null)
          .where((eb) => eb.or([eb('pos', '>', lastPos), eb.and([eb('pos', '=', lastPos), eb('seq', '>', lastSeq)])]))
          .orderBy('pos')
          .orderBy('seq')
          .limit(20_000)
          .execute()) as unknown as Row[];
        if (rows.length === 0) break;
        let go = true;
        for (const r of rows) if (!(go = v.push(r))) break;
        if (!go) break;
        const l = rows[rows.length - 1]!;
        lastPos = Number(l.pos);
        lastSeq = Number(l.seq);
      }
      const h = await trx.selectFrom('audit_head').select(['size', 'hash']).where('id', '=', 1).executeTakeFirst();
      head = h ? { size: Number(h.size), hash: h.hash } : null;
      const s = await trx.selectFrom('access_log').select((eb) => eb.fn.countAll<number>().as('n')).where('pos', 'is', null).executeTakeFirstOrThrow();
      stray = Number(s.n);
    });
  }
  return v.finish(opts.ignoreHead ? null : head, stray);
}
