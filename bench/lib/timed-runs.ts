// Median wall and CPU time of repeated runs. CPU time is printed beside wall time because this
// machine is shared: it depends less on what else runs (DuckDB's threads run in this process too).
export interface TimedRuns<T> {
  wallMs: number;
  cpuMs: number;
  last: T;
}

export async function timedRuns<T>(runs: number, fn: () => T | Promise<T>): Promise<TimedRuns<T>> {
  const wall: number[] = [];
  const cpu: number[] = [];
  let last!: T;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const c0 = process.cpuUsage();
    last = await fn();
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    wall.push(performance.now() - t);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { wallMs: median(wall), cpuMs: median(cpu), last };
}
