// Code for `new Worker(code, { eval: true })` that loads a worker module written in TypeScript:
// the compiled .js next to the caller in a build, the .ts through tsx when running from source.
/** `base` is the caller's import.meta.url; `name` the worker module's file name without extension. */
export function workerBootstrap(base: string, name: string): string {
  const ts = base.endsWith('.ts');
  const entry = new URL(`./${name}${ts ? '.ts' : '.js'}`, base).href;
  if (!ts) return `import(${JSON.stringify(entry)});`;
  // From source, tsx is registered before the first import, whatever the worker inherited: Node 22.18+
  // and 24 strip types natively and would load the .ts modules themselves, then fail on syntax that
  // type stripping does not support (parameter properties), and a failed module stays failed.
  const tsx = import.meta.resolve('tsx/esm/api');
  return `(async () => {
    (await import(${JSON.stringify(tsx)})).register();
    await import(${JSON.stringify(entry)});
  })();`;
}
