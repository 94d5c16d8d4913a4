// Tests that need a tool this machine may lack (poppler, Chromium…). On a developer's machine
// they are skipped with a plain message naming the package to install; under CI (CI set, as
// .ci/run runs) a missing tool fails the run instead, since .ci/run installs every one of them.
import { spawnSync } from 'node:child_process';

export function haveCommand(command: string, why: string, install: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
  if (!found) {
    const msg = `${why} needs \`${command}\` (${install}; .ci/run installs it)`;
    if (process.env.CI) throw new Error(msg);
    console.log(`\n*** SKIPPED: ${msg}\n`);
  }
  return found;
}

/**
 * Tests against a server of this machine (MariaDB, NATS…): true when `host:port` accepts a TCP
 * connection. Off CI an unreachable server skips the test with a plain message; under CI it fails,
 * since .ci/run starts every one of them.
 */
export async function haveServer(url: string, why: string): Promise<boolean> {
  const { connect } = await import('node:net');
  const u = new URL(url);
  const port = Number(u.port) || ({ 'mysql:': 3306, 'nats:': 4222 } as Record<string, number>)[u.protocol] || 0;
  const ok = await new Promise<boolean>((resolve) => {
    const s = connect({ host: u.hostname, port, timeout: 2000 }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
    s.on('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
  if (!ok) {
    const msg = `${why}: no server answers at ${u.protocol}//${u.hostname}:${port} (.ci/run starts it)`;
    if (process.env.CI) throw new Error(msg);
    console.log(`\n*** SKIPPED: ${msg}\n`);
  }
  return ok;
}
