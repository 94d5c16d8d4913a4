// Evidence files arrive base64-encoded inside the JSON report (screenshots, PDFs of payment
// notices, call recordings). Each is checked against its declared type by magic bytes, limited in
// size, hashed (SHA-256, the reference the police file cites) and stored content-addressed under
// <dataDir>/evidence/, so the same screenshot sent twice is stored once. Text files (an SMS
// transcript, a chat copied out) are redacted like the narrative before they are hashed and stored:
// a victim pastes the code and the card number into them as readily as into the form.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MAX_EVIDENCE_BYTES } from './reports.schemas.ts';
import { redact } from './redact.ts';

export interface EvidenceFile {
  contentType: string;
  bytes: Buffer;
  sha256: string;
}

const MAGIC: Record<string, (b: Buffer) => boolean> = {
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/webp': (b) => b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP',
  'application/pdf': (b) => b.toString('latin1', 0, 5) === '%PDF-',
  'audio/mpeg': (b) => b.toString('latin1', 0, 3) === 'ID3' || (b[0] === 0xff && (b[1]! & 0xe0) === 0xe0),
  'audio/mp4': (b) => b.toString('latin1', 4, 8) === 'ftyp',
  'text/plain': (b) => !b.includes(0) && Buffer.from(b.toString('utf8'), 'utf8').equals(b),
};

/** Decodes and checks one file; returns an error message (never the content) when it is refused. */
export function decodeEvidence(contentType: string, base64: string): EvidenceFile | string {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0) return 'is empty';
  if (bytes.length > MAX_EVIDENCE_BYTES) return `is larger than ${MAX_EVIDENCE_BYTES} bytes`;
  const check = MAGIC[contentType];
  if (!check || !check(bytes)) return `does not look like ${contentType}`;
  const kept = contentType === 'text/plain' ? Buffer.from(redact(bytes.toString('utf8')).text, 'utf8') : bytes;
  return { contentType, bytes: kept, sha256: createHash('sha256').update(kept).digest('hex') };
}

export function storeEvidence(dataDir: string, f: EvidenceFile): void {
  const dir = path.join(dataDir, 'evidence', f.sha256.slice(0, 2));
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, f.sha256);
  if (!existsSync(file)) writeFileSync(file, f.bytes, { mode: 0o600 });
}

/** Reads a stored file back, verifying its hash (a tampered or truncated file is refused). */
export function readEvidence(dataDir: string, sha256: string): Buffer | null {
  if (!/^[0-9a-f]{64}$/.test(sha256)) return null;
  const file = path.join(dataDir, 'evidence', sha256.slice(0, 2), sha256);
  if (!existsSync(file)) return null;
  const bytes = readFileSync(file);
  return createHash('sha256').update(bytes).digest('hex') === sha256 ? bytes : null;
}
