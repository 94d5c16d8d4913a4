// The connectors' configuration files (MySQL mapping, log rules): JSON checked against a TypeBox
// schema on load, so a typo names its key before anything is read or stored.
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export class ConfigFileError extends Error {}

export function parseJsonFile<S extends TSchema>(text: string, schema: S, what: string): Static<S> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new ConfigFileError(`${what} is not JSON: ${(e as Error).message}`, { cause: e });
  }
  const errors = [...Value.Errors(schema, v)];
  if (errors.length)
    throw new ConfigFileError(
      `${what}: ${errors
        .slice(0, 5)
        .map((e) => `${e.path || '/'} ${e.message}`)
        .join('; ')}`,
    );
  return v as Static<S>;
}
