// Code for `new Worker(code, { eval: true })` that loads a worker module written in TypeScript:
// the compiled .js next to the caller in a build, the .ts through tsx when running from source.
/** `base` is the caller's import.meta.url; `name` the worker module's file name without extension. */
export function workerBootstrap(base: string, name: string): string {
  const ts = base.endsWith('.ts');
  const entry = new URL(`./${name}${ts ? '.ts' : '.js'}`, base).href;
  const tsx = ts ? import.meta.resolve('tsx/esm/api') : '';
  return `(async () => {
    try { await import(${JSON.stringify(entry)}); }
    catch (e) {
      if (e.code !== 'ERR_UNKNOWN_FILE_EXTENSION' || !${JSON.stringify(tsx)}) throw e;
      (await import(${JSON.stringify(tsx)})).register();
      await import(${JSON.stringify(entry + '?tsx')}); // a new URL: the failed import is cached
    }
  })();`;
}
