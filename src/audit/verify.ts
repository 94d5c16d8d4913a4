// Verification of the chain: streams every entry in position order, recomputes each hash, and
// reports the FIRST position where the log differs from what was appended — an edited, inserted,
// deleted or reordered entry breaks the hash (or the position sequence) exactly there; a truncated
// tail shows against the head row and against every signed checkpoint the verifier holds. A whole
// rewrite with recomputed hashes is caught by the checkpoints (which a database administrator
// cannot forge without the signing key).
//
// A sharded log is verified shard by shard, each from its own start (chain.ts genesisHash) against
// its own head row and its own line of every checkpoint; a failure names the shard and the first
// position within it. Every shard the configuration, the head rows, the stored rows or a
// checkpoint mentions is checked, so deleting a whole shard (rows and head) shows too.
//
// Retention (prune.ts) removes a prefix of every shard and leaves a signed anchor: per shard, the
// first retained position and the chain hash before it. A shard whose stored entries start at the
// anchor is verified from there (checkpoints inside the pruned prefix can no longer be checked; one
// at the anchor's size must agree with it); a shard whose entries still start at 0 (pruned rows
// restored from a backup) is verified from its start, with the anchor checked like a checkpoint.
// Anything else — an entry before the anchor, entries missing at or after it, a deleted anchor
// (the verifier then starts at 0 and finds entry 0 missing) — is reported as tampering.
import type { Database } from '../db/database.ts';
import { chainHash, genesisHash, CHAIN_COLUMNS, type ChainedRow } from './chain.ts';
import { shardCountOf } from './append.ts';
import { combineHeads, type ShardHead } from './heads.ts';

export type VerifyResult =
  | {
      intact: true;
      /** Entries ever appended (all shards; entries removed by retention included), as checkpoints count them. */
      size: number;
      head: string;
      checkpointsChecked: number;
      shards: number;
      /** Shards verified from a retention anchor (their older entries were pruned). */
      anchoredShards?: number;
    }
  | { intact: false; shard: number; position: number; reason: string };

export interface TrustedCheckpoint {
  size: number;
  /** Hex chain hash at that size (for a sharded log: the combined root of its shard heads). */
  hash: string;
  /** Each shard's head at the checkpoint; absent for a single-chain checkpoint (shard 0 is the log). */
  shards?: ShardHead[];
}

type Row = ChainedRow & { seq: number; shard: number };
/** Where a pruned shard's retained entries start: `size` is the first retained position, `hash` the chain hash before it. */
export type Anchor = { size: number; hash: string };
type ShardResult = { intact: true; size: number; head: string } | { intact: false; position: number; reason: string };

/** One shard's chain, streamed in position order. */
export class ChainVerifier {
  private expected = 0;
  private prev: string;
  private failure: ShardResult | null = null;
  private readonly cps: TrustedCheckpoint[];
  private cpIndex = 0;
  private lastVouched = 0;
  private begun = false;
  /** The retention anchor this shard was verified from, if any. */
  anchoredAt: number | null = null;

  constructor(
    private readonly key: Buffer,
    checkpoints: readonly { size: number; hash: string }[] = [],
    start: string = genesisHash(key, 0),
    private readonly anchor: Anchor | null = null,
  ) {
    this.prev = start;
    // the anchor is itself a signed statement about the chain: checked like a checkpoint when the prefix is there
    this.cps = [...checkpoints, ...(anchor && anchor.size > 0 ? [anchor] : [])].sort((a, b) => a.size - b.size);
    this.skipEmptyCheckpoints();
  }

  /** Decides where the shard starts, from its first stored position (null: no entries). */
  private begin(firstPos: number | null) {
    if (this.begun) return;
    this.begun = true;
    const a = this.anchor;
    if (!a || a.size === 0 || firstPos === 0) return;
    this.expected = a.size;
    this.prev = a.hash;
    this.lastVouched = a.size;
    this.anchoredAt = a.size;
    while (this.cpIndex < this.cps.length && this.cps[this.cpIndex]!.size <= a.size) {
      const cp = this.cps[this.cpIndex++]!;
      if (cp.size === a.size && cp.hash !== a.hash)
        return this.fail(a.size, `the retention anchor at ${a.size} disagrees with the signed checkpoint of that size`);
    }
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
    const pos = r.pos === null || r.pos === undefined ? NaN : Number(r.pos);
    this.begin(Number.isNaN(pos) ? null : pos);
    if (this.failure) return false;
    const i = this.expected;
    if (Number.isNaN(pos)) return (this.fail(i, 'an entry without a chain position was inserted'), false);
    if (this.anchoredAt !== null && pos < this.anchoredAt)
      return (this.fail(pos, `entry ${pos} lies in the prefix removed by retention (before ${this.anchoredAt}): put back in part or inserted`), false);
    if (pos > i) return (this.fail(i, `entry ${i} is missing (deleted)`), false);
    if (pos < i) return (this.fail(i, `an entry was inserted at position ${i} (duplicate position ${pos})`), false);
    const h = chainHash(this.key, this.prev, i, r);
    if (h !== r.hash) return (this.fail(i, `entry ${i} does not match its hash (modified, inserted or reordered)`), false);
    this.prev = h;
    this.expected = i + 1;
    const cp = this.cps[this.cpIndex];
    if (cp && cp.size === this.expected) {
      if (cp.hash !== h)
        return (
          this.fail(
            this.lastVouched,
            `the log up to ${cp.size} entries does not match the signed checkpoint of that size (rewritten at or after position ${this.lastVouched})`,
          ),
          false
        );
      this.lastVouched = cp.size;
      this.cpIndex++;
      while (this.cpIndex < this.cps.length && this.cps[this.cpIndex]!.size === cp.size) {
        if (this.cps[this.cpIndex]!.hash !== h) return (this.fail(this.lastVouched, 'two checkpoints of the same size disagree'), false);
        this.cpIndex++;
      }
    }
    return true;
  }

  /** Ends the stream; `head` is the stored head row (size and hash), if any. */
  finish(head: { size: number; hash: string } | null): ShardResult {
    this.begin(null);
    if (this.failure) return this.failure;
    const n = this.expected;
    const cp = this.cps[this.cpIndex];
    if (cp) return { intact: false, position: n, reason: `the log has ${n} entries but a signed checkpoint vouches for ${cp.size} (truncated)` };
    if (head) {
      if (head.size > n) return { intact: false, position: n, reason: `the log has ${n} entries but its head records ${head.size} (truncated)` };
      if (head.size < n)
        return { intact: false, position: head.size, reason: `entries after the recorded head (${head.size}) were appended outside the chain` };
      if (head.hash !== this.prev) return { intact: false, position: Math.max(0, n - 1), reason: `the last entry does not match the recorded head (modified)` };
    }
    return { intact: true, size: n, head: this.prev };
  }
}

/** Checkpoints as each shard sees them: a single-chain checkpoint vouches for shard 0. */
function perShard(checkpoints: readonly TrustedCheckpoint[]): Map<number, { size: number; hash: string }[]> {
  const out = new Map<number, { size: number; hash: string }[]>();
  const add = (s: number, c: { size: number; hash: string }) => (out.get(s) ?? out.set(s, []).get(s)!).push(c);
  for (const cp of checkpoints) {
    if (cp.shards) for (const h of cp.shards) add(h.shard, { size: h.size, hash: h.hash });
    else add(0, { size: cp.size, hash: cp.hash });
  }
  return out;
}

/** Verifies rows streamed in (shard, pos, seq) order against the head rows and the checkpoints. */
export class ShardedVerifier {
  private readonly verifiers = new Map<number, ChainVerifier>();
  private readonly cps: Map<number, { size: number; hash: string }[]>;
  private readonly anchors = new Map<number, Anchor>();
  private failed: number | null = null;
  /**
   * `anchors`: signed retention anchors (prune.ts), each a checkpoint-shaped statement of where
   * every shard's retained entries start; a shard starts from the furthest one.
   */
  constructor(
    private readonly key: Buffer,
    private readonly checkpoints: readonly TrustedCheckpoint[],
    private readonly expectShards: number,
    anchors: readonly TrustedCheckpoint[] = [],
  ) {
    this.cps = perShard(checkpoints);
    for (const [shard, list] of perShard(anchors)) {
      const best = list.reduce((a, b) => (b.size > a.size ? b : a));
      this.anchors.set(shard, best);
      // earlier anchors are signed statements too; checked whenever that part of the chain is read
      this.cps.set(shard, [...(this.cps.get(shard) ?? []), ...list.filter((a) => a !== best)]);
    }
  }

  private of(shard: number): ChainVerifier {
    let v = this.verifiers.get(shard);
    if (!v)
      this.verifiers.set(shard, (v = new ChainVerifier(this.key, this.cps.get(shard) ?? [], genesisHash(this.key, shard), this.anchors.get(shard) ?? null)));
    return v;
  }

  /** Feeds the next row; returns false once a failure is found (the stream may stop). */
  push(r: Row): boolean {
    const shard = Number(r.shard ?? 0);
    if (!this.of(shard).push(r)) {
      this.failed ??= shard;
      return false;
    }
    return true;
  }

  /** `heads` null: do not compare with the head rows (a log being recovered). */
  finish(heads: readonly ShardHead[] | null, strayRows = 0): VerifyResult {
    const headOf = new Map((heads ?? []).map((h) => [h.shard, h]));
    const shards = new Set<number>([
      ...Array.from({ length: this.expectShards }, (_, i) => i),
      ...headOf.keys(),
      ...this.verifiers.keys(),
      ...this.cps.keys(),
      ...this.anchors.keys(),
    ]);
    const verified: ShardHead[] = [];
    let anchored = 0;
    for (const shard of [...shards].sort((a, b) => a - b)) {
      if (this.failed !== null && shard > this.failed) break;
      const head = headOf.get(shard);
      if (!head && heads && shard < this.expectShards)
        return { intact: false, shard, position: 0, reason: `the head row of shard ${shard} is missing (shard deleted?)` };
      const v = this.of(shard);
      const r = v.finish(head ?? null);
      if (!r.intact) return { ...r, shard };
      verified.push({ shard, size: r.size, hash: r.head });
      if (v.anchoredAt !== null) anchored++;
    }
    const total = verified.reduce((n, h) => n + h.size, 0);
    if (strayRows > 0) return { intact: false, shard: 0, position: total, reason: 'entries without a chain position were inserted' };
    const root = combineHeads(verified);
    return {
      intact: true,
      size: root.size,
      head: root.hash,
      checkpointsChecked: this.checkpoints.length,
      shards: verified.length,
      ...(anchored ? { anchoredShards: anchored } : {}),
    };
  }
}

const ROW_COLUMNS = ['seq', 'shard', ...CHAIN_COLUMNS].join(', ');

/** Streams the stored log through a verifier. SQLite iterates one statement; PostgreSQL pages by (pos, seq). */
export async function verifyStoredLog(
  database: Database,
  key: Buffer,
  checkpoints: readonly TrustedCheckpoint[] = [],
  opts: { ignoreHead?: boolean; anchors?: readonly TrustedCheckpoint[] } = {},
): Promise<VerifyResult> {
  const v = new ShardedVerifier(key, checkpoints, shardCountOf(database), opts.anchors);
  let heads: ShardHead[] = [];
  let stray = 0;
  if (database.dialect === 'sqlite') {
    const raw = database.sqlite!;
    // One read transaction: a consistent snapshot even while others append.
    const read = raw.transaction(() => {
      for (const r of raw.prepare(`SELECT ${ROW_COLUMNS} FROM access_log WHERE pos IS NOT NULL ORDER BY shard, pos, seq`).iterate() as Iterable<Row>) {
        if (!v.push(r)) break;
      }
      heads = (raw.prepare('SELECT id, size, hash FROM audit_head ORDER BY id').all() as { id: number; size: number; hash: string }[]).map(toHead);
      stray = (raw.prepare('SELECT count(*) AS n FROM access_log WHERE pos IS NULL').get() as { n: number }).n;
    });
    await database.db.connection().execute(async () => read());
  } else {
    await database.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        let lastShard = -1;
        let lastPos = -1;
        let lastSeq = -1;
        for (;;) {
          const rows = (await trx
            .selectFrom('access_log')
            .select(['seq', 'shard', ...CHAIN_COLUMNS])
            .where('pos', 'is not', null)
            .where((eb) =>
              eb.or([
                eb('shard', '>', lastShard),
                eb.and([eb('shard', '=', lastShard), eb('pos', '>', lastPos)]),
                eb.and([eb('shard', '=', lastShard), eb('pos', '=', lastPos), eb('seq', '>', lastSeq)]),
              ]),
            )
            .orderBy('shard')
            .orderBy('pos')
            .orderBy('seq')
            .limit(20_000)
            .execute()) as unknown as Row[];
          if (rows.length === 0) break;
          let go = true;
          for (const r of rows) if (!(go = v.push(r))) break;
          if (!go) break;
          const l = rows[rows.length - 1]!;
          lastShard = Number(l.shard);
          lastPos = Number(l.pos);
          lastSeq = Number(l.seq);
        }
        heads = (await trx.selectFrom('audit_head').select(['id', 'size', 'hash']).orderBy('id').execute()).map(toHead);
        const s = await trx
          .selectFrom('access_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('pos', 'is', null)
          .executeTakeFirstOrThrow();
        stray = Number(s.n);
      });
  }
  return v.finish(opts.ignoreHead ? null : heads, stray);
}

const toHead = (h: { id: number; size: number; hash: string }): ShardHead => ({ shard: Number(h.id) - 1, size: Number(h.size), hash: h.hash });
