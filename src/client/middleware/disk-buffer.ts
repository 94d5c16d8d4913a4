// Events waiting on disk while fanzha is unreachable: one NDJSON file, appended to, bounded in
// bytes. The file holds ids and field names only (principal, customer and order ids, never the
// customer's data) and is created with mode 0600. Replay takes the whole file, sends it in
// batches and puts back whatever could not be sent; event ids make a replay after a crash safe.
import { appendFile, readFile, rename, stat, unlink } from 'node:fs/promises';
import type { FanzhaEvent } from '../types.ts';

export class DiskBuffer {
  private bytes = 0;
  private overflowed = false;
  private ready: Promise<void>;
  private chain: Promise<unknown> = Promise.resolve();
  constructor(
    readonly file: string,
    readonly maxBytes: number,
  ) {
    // a replay cut short by a crash left its file: its events go back into the buffer first
    this.ready = readFile(`${file}.replaying`, 'utf8')
      .then(
        async (left) => (await appendFile(file, left, { mode: 0o600 }), await unlink(`${file}.replaying`)),
        () => undefined,
      )
      .then(() => stat(file))
      .then(
        (s) => void (this.bytes = s.size),
        () => undefined,
      );
  }

  /** Bytes on disk (known after the first operation). */
  get size() {
    return this.bytes;
  }
  /** No room for another event: the limit is reached, or the last append had to leave events out. */
  get full() {
    return this.bytes >= this.maxBytes || this.overflowed;
  }

  /** Appends the events that fit under the limit; returns how many did not fit. */
  append(events: readonly FanzhaEvent[]): Promise<number> {
    return this.serial(async () => {
      let text = '';
      let dropped = 0;
      for (const e of events) {
        const line = JSON.stringify(e) + '\n';
        if (this.bytes + text.length + Buffer.byteLength(line) > this.maxBytes) dropped++;
        else text += line;
      }
      if (dropped) this.overflowed = true;
      if (text) {
        await appendFile(this.file, text, { mode: 0o600 });
        this.bytes += Buffer.byteLength(text);
      }
      return dropped;
    });
  }

  /** Sends the buffered events through `send` in chunks; keeps what failed. Returns events sent. */
  replay(send: (events: FanzhaEvent[]) => Promise<void>, chunk: number): Promise<number> {
    return this.serial(async () => {
      if (!this.bytes) return 0;
      const taken = `${this.file}.replaying`;
      await rename(this.file, taken);
      this.bytes = 0;
      this.overflowed = false;
      const events = (await readFile(taken, 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as FanzhaEvent);
      let sent = 0;
      try {
        for (; sent < events.length; sent += chunk) await send(events.slice(sent, sent + chunk));
      } catch {
        const rest = events
          .slice(sent)
          .map((e) => JSON.stringify(e) + '\n')
          .join('');
        await appendFile(this.file, rest, { mode: 0o600 });
        this.bytes += Buffer.byteLength(rest);
      }
      await unlink(taken);
      return Math.min(sent, events.length);
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.chain; // taken now: by the time ready settles, chain is this run
    const run = Promise.all([this.ready, previous]).then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }
}
