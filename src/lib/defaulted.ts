// A property with a default: optional in the API (the document must not call it required, and a
// client may leave it out), yet always present in the handler, because validation fills in the
// default first (ajv useDefaults). The schema is TypeBox's Optional at run time; its static type
// stays the inner schema's, branded so `RequestOf` (below) can make it optional for callers.
import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';

declare const DEFAULTED: unique symbol;
export type TDefaulted<T extends TSchema> = T & { readonly [DEFAULTED]: true };

export function defaulted<T extends TSchema>(schema: T): TDefaulted<T> {
  if (schema.default === undefined) throw new Error('defaulted(): the schema has no default');
  return Type.Optional(schema) as unknown as TDefaulted<T>;
}

type DefaultedKeys<S extends TObject> = {
  [K in keyof S['properties']]: S['properties'][K] extends { readonly [DEFAULTED]: true } ? K : never;
}[keyof S['properties']];

/** What a caller sends for an object schema: its defaulted properties become optional. */
export type RequestOf<S extends TObject> = Omit<Static<S>, DefaultedKeys<S> & keyof Static<S>> & Partial<Pick<Static<S>, DefaultedKeys<S> & keyof Static<S>>>;
