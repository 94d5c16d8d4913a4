// A growable columnar access log: the simulator writes millions of reads, so it keeps them in
// typed arrays instead of objects (events are made from these only when emitted).
export const CHANNELS = ['console', 'api', 'export', 'batch'] as const;
export type ChannelCode = 0 | 1 | 2 | 3;

export class AccessColumns {
  n = 0;
  principal = new Int32Array(1024);
  customer = new Int32Array(1024);
  /** Order index, or -1 for a read of the customer record itself. */
  order = new Int32Array(1024);
  fields = new Uint16Array(1024);
  at = new Float64Array(1024);
  channel = new Uint8Array(1024);
  /** Export index, or -1. */
  exportIdx = new Int32Array(1024);

  push(principal: number, customer: number, order: number, fields: number, at: number, channel: ChannelCode, exportIdx = -1) {
    if (this.n === this.at.length) this.grow();
    const i = this.n++;
    this.principal[i] = principal;
    this.customer[i] = customer;
    this.order[i] = order;
    this.fields[i] = fields;
    this.at[i] = Math.round(at); // event times carry milliseconds
    this.channel[i] = channel;
    this.exportIdx[i] = exportIdx;
  }

  /** An independent copy (an attack that adds reads to a shared shop works on its own copy). */
  clone(): AccessColumns {
    const c = new AccessColumns();
    for (const k of ['principal', 'customer', 'order', 'fields', 'at', 'channel', 'exportIdx'] as const) (c[k] as unknown) = this[k].slice();
    c.n = this.n;
    return c;
  }

  private grow() {
    const cap = this.at.length * 2;
    const g = <T extends Int32Array | Uint16Array | Float64Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a);
      return b;
    };
    this.principal = g(this.principal);
    this.customer = g(this.customer);
    this.order = g(this.order);
    this.fields = g(this.fields);
    this.at = g(this.at);
    this.channel = g(this.channel);
    this.exportIdx = g(this.exportIdx);
  }
}
