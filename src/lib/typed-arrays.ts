// Growing typed arrays: the in-memory index, its interners and the investigation's scratch
// buffers all append into typed arrays whose final size is unknown.

/** A copy of `a` (same type, same contents) with room for at least `need` elements, growing by half. */
export function grown<T extends Int32Array | Uint8Array>(a: T, need: number): T {
  let n = Math.max(1, a.length);
  while (n < need) n = Math.ceil(n * 1.5);
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}
