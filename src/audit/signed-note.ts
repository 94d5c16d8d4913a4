// Checkpoints in the C2SP formats (https://c2sp.org/signed-note, https://c2sp.org/tlog-checkpoint):
//
//   <origin>\n<size>\n<base64 hash>\n\n— <key name> <base64(key id ‖ Ed25519 signature)>\n
//
// key id = first 4 bytes of SHA-256(key name ‖ "\n" ‖ 0x01 ‖ public key); the verifier key is
// written "<name>+<hex key id>+<base64(0x01 ‖ public key)>". Our "root hash" is the chain head.
import { combineHeads, parseShardLines, shardLines, type ShardHead } from './heads.ts';
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

const ED25519 = 0x01;
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface Checkpoint {
  origin: string;
  size: number;
  /** Hex chain hash (of a sharded log: the combined root of its shard heads, heads.ts). */
  hash: string;
  /** A sharded log's heads, one extension line each; absent for a single chain. */
  shards?: ShardHead[];
}

export function keyId(name: string, pub: Buffer): Buffer {
  return createHash('sha256')
    .update(name)
    .update('\n')
    .update(Buffer.from([ED25519]))
    .update(pub)
    .digest()
    .subarray(0, 4);
}

export class NoteSigner {
  private readonly priv: KeyObject;
  readonly publicKey: Buffer;
  readonly id: Buffer;
  constructor(
    readonly name: string,
    seed: Buffer,
  ) {
    if (!name || /[\s+]/.test(name)) throw new Error('a note key name must be non-empty without spaces or "+"');
    this.priv = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
    this.publicKey = (createPublicKey(this.priv).export({ format: 'der', type: 'spki' }) as Buffer).subarray(-32);
    this.id = keyId(name, this.publicKey);
  }

  /** The verifier key to hold outside the shop. */
  verifierKey(): string {
    return `${this.name}+${this.id.toString('hex')}+${Buffer.concat([Buffer.from([ED25519]), this.publicKey]).toString('base64')}`;
  }

  sign(cp: Checkpoint): string {
    const text = checkpointText(cp);
    const sig = sign(null, Buffer.from(text), this.priv);
    return `${text}\n— ${this.name} ${Buffer.concat([this.id, sig]).toString('base64')}\n`;
  }
}

export function checkpointText(cp: Checkpoint): string {
  const ext = cp.shards
    ? shardLines(cp.shards)
        .map((l) => `${l}\n`)
        .join('')
    : '';
  return `${cp.origin}\n${cp.size}\n${Buffer.from(cp.hash, 'hex').toString('base64')}\n${ext}`;
}

export class NoteError extends Error {
  override name = 'NoteError';
}

export interface NoteVerifier {
  name: string;
  id: Buffer;
  key: KeyObject;
}

export function parseVerifierKey(vkey: string): NoteVerifier {
  // The key data is base64 and may itself contain '+': split on the first two only.
  const t = vkey.trim();
  const a = t.indexOf('+');
  const b = a < 0 ? -1 : t.indexOf('+', a + 1);
  const [name, idHex, keyB64] = b < 0 ? [] : [t.slice(0, a), t.slice(a + 1, b), t.slice(b + 1)];
  if (!name || !idHex || !keyB64) throw new NoteError('malformed verifier key');
  const raw = Buffer.from(keyB64, 'base64');
  if (raw.length !== 33 || raw[0] !== ED25519) throw new NoteError('verifier key is not an Ed25519 key');
  const pub = raw.subarray(1);
  const id = keyId(name, pub);
  if (id.toString('hex') !== idHex.toLowerCase()) throw new NoteError('verifier key id does not match its key');
  return { name, id, key: createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pub]), format: 'der', type: 'spki' }) };
}

/** Verifies a signed checkpoint note against a verifier key; returns the checkpoint it vouches for. */
export function openCheckpoint(note: string, verifier: NoteVerifier, expectOrigin?: string): Checkpoint {
  const sep = note.lastIndexOf('\n\n');
  if (sep < 0) throw new NoteError('not a signed note');
  const text = note.slice(0, sep + 1);
  const sigLines = note
    .slice(sep + 2)
    .split('\n')
    .filter((l) => l.length > 0);
  let ok = false;
  for (const line of sigLines) {
    const m = /^— (\S+) (\S+)$/.exec(line);
    if (!m || m[1] !== verifier.name) continue;
    const blob = Buffer.from(m[2]!, 'base64');
    if (blob.length !== 68 || !blob.subarray(0, 4).equals(verifier.id)) continue;
    if (verify(null, Buffer.from(text), verifier.key, blob.subarray(4))) ok = true;
  }
  if (!ok) throw new NoteError('checkpoint signature does not verify with the given key');
  const lines = text.split('\n');
  const [origin, sizeText, hashB64] = lines;
  if (!origin || !sizeText || !/^\d+$/.test(sizeText) || !hashB64) throw new NoteError('malformed checkpoint body');
  if (expectOrigin && origin !== expectOrigin) throw new NoteError(`checkpoint origin "${origin}" is not "${expectOrigin}"`);
  const hash = Buffer.from(hashB64, 'base64');
  if (hash.length !== 32) throw new NoteError('checkpoint hash is not 32 bytes');
  const ext = lines.slice(3).filter((l) => l.length > 0);
  if (ext.length === 0) return { origin, size: Number(sizeText), hash: hash.toString('hex') };
  // a sharded log: the lines must be shard heads whose combination is the signed root and size
  const shards = parseShardLines(ext);
  if (!shards) throw new NoteError('malformed checkpoint extension line');
  const root = combineHeads(shards);
  if (root.hash !== hash.toString('hex') || root.size !== Number(sizeText)) throw new NoteError('checkpoint shard heads do not combine to its root');
  return { origin, size: Number(sizeText), hash: hash.toString('hex'), shards };
}

/** Splits a file of concatenated notes (as exported) into notes. */
export function splitNotes(text: string): string[] {
  const out: string[] = [];
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let cur: string[] = [];
  let inSigs = false;
  for (const l of lines) {
    if (inSigs && !l.startsWith('— ')) {
      out.push(cur.join('\n') + '\n');
      cur = [];
      inSigs = false;
      if (l === '') continue;
    }
    if (!inSigs && l === '' && cur.length > 0) {
      cur.push('');
      inSigs = true;
      continue;
    }
    if (l === '' && cur.length === 0) continue;
    cur.push(l);
  }
  if (cur.length && inSigs) out.push(cur.join('\n') + '\n');
  return out;
}
