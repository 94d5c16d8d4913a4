// Runs a query per slice of a long id list: IN lists stay well under both databases' parameter limits.
export const IN_CHUNK = 500;

export async function inChunks<T, R>(values: readonly T[], fn: (part: T[]) => Promise<R[]>, size = IN_CHUNK): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < values.length; i += size) out.push(...(await fn(values.slice(i, i + size))));
  return out;
}
