// Fastify's own validator (Ajv) and serializer (fast-json-stringify) compilers, with the compiled
// functions kept for the life of the process and looked up by the schema's content. Compiling every
// route's schemas is most of what building the app costs (about half a second on our machine); one
// server builds once and loses nothing, but the test suite and the multi-node tests build the app
// hundreds of times in a process, and each build would compile the same schemas again.
//
// Sharing is safe: a compiled validator or serializer is a pure function of its schema, the shared
// schemas ($ref targets) and the compiler options, which are all part of the key. Ajv's validator
// keeps its last errors on the function itself, read synchronously by Fastify right after the call,
// exactly as when one route's validator serves many requests.
import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type Factories = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

type CompilerInput = { schema: unknown; method?: string; url?: string; httpPart?: string; httpStatus?: string; contentType?: string };
type Compile = (input: CompilerInput) => unknown;

const ajvSelector = AjvCompiler();
const serializerSelector = SerializerSelector();
/** Per shared-schemas-and-options key: compiled function by schema content. */
const validatorsByContext = new Map<string, Map<string, unknown>>();
const serializersByContext = new Map<string, Map<string, unknown>>();

function cached(pools: Map<string, Map<string, unknown>>, contextKey: string, compile: Compile): Compile {
  let pool = pools.get(contextKey);
  if (!pool) pools.set(contextKey, (pool = new Map()));
  const byContent = pool;
  return (input) => {
    // symbols (TypeBox's Kind) are not part of what the compilers read, and JSON drops them too
    const key = `${input.httpPart ?? ''} ${JSON.stringify(input.schema)}`;
    let fn = byContent.get(key);
    if (fn === undefined) {
      fn = compile(input);
      byContent.set(key, fn);
    }
    return fn;
  };
}

export const buildValidator: NonNullable<Factories['buildValidator']> = (externalSchemas, options) => {
  const compile = ajvSelector(externalSchemas as never, options as never) as unknown as Compile;
  return cached(validatorsByContext, JSON.stringify([externalSchemas, options]), compile) as never;
};

export const buildSerializer: NonNullable<Factories['buildSerializer']> = (externalSchemas, options) => {
  const compile = serializerSelector(externalSchemas as never, options as never) as unknown as Compile;
  return cached(serializersByContext, JSON.stringify([externalSchemas, options]), compile) as never;
};
