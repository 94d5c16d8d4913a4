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
