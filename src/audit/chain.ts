// The access log is one keyed hash chain: entry i stores h_i = HMAC-SHA-256(K, h_{i-1} || canonical(entry_i))
// with h_{-1} = 32 zero bytes and K a vault secret wrapped by the master key. Keying the chain means
// someone who can write the database but does not hold the master key cannot compute a valid hash
// for an inserted, edited or forged-at-the-end entry, so every tampering shows at its own position. The canonical encoding is the JSON array of every recorded column
// in a fixed order, including the position, so an entry cannot be moved, edited, removed or
// inserted without changing the hash of that position (see docs/areas/audit.md for why a chain
// rather than a Merkle tree). One SHA-256 per entry keeps ingestion cheap.
import { createHmac } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * Where shard `s` starts. The log is several chains ("shards", see append.ts) so that nodes can
 * append in parallel; shard 0 starts where the single chain always did (existing logs verify
 * unchanged), every other shard at a keyed value of its own, so an entry — or a whole shard —
 * relabelled into another shard no longer hashes there.
 */
export function genesisHash(key: Buffer, shard: number): string {
  return shard === 0 ? GENESIS_HASH : createHmac('sha256', key).update(`fanzha/access-log/shard/${shard}`).digest('hex');
}
const FORMAT = 1;
const FORMAT_WITH_KEY = 2;

/** The columns an entry is made of (what the hash covers). */
export interface ChainEntry {
  source: string;
  event_id: string | null;
  principal_id: string;
  customer_id: string | null;
  order_id: string | null;
  fields: number;
  purpose: string | null;
  channel: string;
  ip: string | null;
  export_id: string | null;
  ticket: string | null;
  at: number;
  recorded_at: number;
  /** The API key that acted (who really read or reported it), when the entry came through one. */
  key_id: string | null;
}

/** An entry as handed to an appender; missing optional columns are null. */
export type NewEntry = Omit<ChainEntry, 'ticket' | 'event_id' | 'customer_id' | 'order_id' | 'purpose' | 'ip' | 'export_id' | 'key_id'> &
  Partial<Pick<ChainEntry, 'ticket' | 'event_id' | 'customer_id' | 'order_id' | 'purpose' | 'ip' | 'export_id' | 'key_id'>>;

/**
 * The bytes an entry's hash covers — the one place they are defined. Entries that name a key use
 * format 2 (format 1's array with the key id appended); entries without one keep format 1, so logs
 * written before keys were recorded verify unchanged. Clearing or setting a key id changes the
 * format and therefore the hash: it is as tamper-evident as every other column.
 */
export function canonical(pos: number, e: ChainEntry): string {
  const cols = columns(pos, e);
  if (e.key_id !== null && e.key_id !== undefined) {
    cols[0] = FORMAT_WITH_KEY;
    cols.push(e.key_id);
  }
  return JSON.stringify(cols);
}

function columns(pos: number, e: ChainEntry): unknown[] {
  return [
    FORMAT,
    pos,
    e.source,
    e.event_id,
    e.principal_id,
    e.customer_id,
    e.order_id,
    e.fields,
    e.purpose,
    e.channel,
    e.ip,
    e.export_id,
    e.ticket,
    e.at,
    e.recorded_at,
  ];
}

export function chainHash(key: Buffer, prevHex: string, pos: number, e: ChainEntry): string {
  return createHmac('sha256', key).update(prevHex, 'hex').update(canonical(pos, e)).digest('hex');
}

/** Fills the optional columns with null so stored rows and hashed rows agree. */
export function complete(e: NewEntry): ChainEntry {
  return {
    source: e.source,
    event_id: e.event_id ?? null,
    principal_id: e.principal_id,
    customer_id: e.customer_id ?? null,
    order_id: e.order_id ?? null,
    fields: e.fields,
    purpose: e.purpose ?? null,
    channel: e.channel,
    ip: e.ip ?? null,
    export_id: e.export_id ?? null,
    ticket: e.ticket ?? null,
    at: e.at,
    recorded_at: e.recorded_at,
    key_id: e.key_id ?? null,
  };
}

export type ChainedRow = ChainEntry & { pos: number; hash: string; shard?: number };

/** Assigns positions and hashes after the head (size, hash). */
export function chainRows(key: Buffer, head: { size: number; hash: string }, entries: readonly NewEntry[]): { rows: ChainedRow[]; size: number; hash: string } {
  let prev = head.hash;
  let pos = head.size;
  const rows: ChainedRow[] = new Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const row = complete(entries[i]!) as ChainedRow;
    row.pos = pos;
    row.hash = prev = chainHash(key, prev, pos, row);
    rows[i] = row;
    pos++;
  }
  return { rows, size: pos, hash: prev };
}

export const CHAIN_COLUMNS = [
  'pos',
  'hash',
  'source',
  'event_id',
  'principal_id',
  'customer_id',
  'order_id',
  'fields',
  'purpose',
  'channel',
  'ip',
  'export_id',
  'ticket',
  'at',
  'recorded_at',
  'key_id',
] as const;
