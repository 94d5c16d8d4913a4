// JSON-pointer paths in error answers without submitted data: a property name is shown only when
// the route's schema declares it (or it is an array index); any other name — an unknown key, a
// key of a free-form record — may be personal data the client sent, and becomes "*".
const cache = new WeakMap<object, Set<string>>();

/** Every property name a (TypeBox / JSON) schema declares, at any depth. */
export function schemaKeys(schema: unknown): Set<string> {
  if (!schema || typeof schema !== 'object') return new Set();
  const hit = cache.get(schema);
  if (hit) return hit;
  const out = new Set<string>();
  const stack: unknown[] = [schema];
  const seen = new Set<unknown>();
  while (stack.length) {
    const s = stack.pop();
    if (!s || typeof s !== 'object' || seen.has(s)) continue;
    seen.add(s);
    const props = (s as { properties?: Record<string, unknown> }).properties;
    if (props && typeof props === 'object') for (const k of Object.keys(props)) out.add(k);
    for (const v of Object.values(s)) if (v && typeof v === 'object') stack.push(v);
  }
  cache.set(schema, out);
  return out;
}

/** The pointer with undeclared property names replaced by "*". */
export function safePointer(pointer: string, known: ReadonlySet<string>): string {
  if (!pointer || pointer === '/') return pointer || '/';
  return pointer
    .split('/')
    .map((seg, i) => (i === 0 || /^\d{1,9}$/.test(seg) || known.has(seg) ? seg : '*'))
    .join('/');
}
