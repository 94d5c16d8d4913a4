// Runs a `fanzha` command in this process, as the binary would run it (same command tree, same
// exit codes) but with its environment given and its output captured: a command costs
// milliseconds instead of a new TypeScript process. Each binary keeps one spawned smoke test
// (src/cli/cli.test.ts) so the real entry point stays covered.
import { runCli } from '../cli/program.ts';
import type { CliIo } from '../cli/cli-io.ts';

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** `fanzha ...args` with process.env plus `env`. */
export async function fanzha(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    env: { ...process.env, ...env },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    exitCode: 0,
  };
  const status = await runCli([process.execPath, 'fanzha', ...args], io);
  return { status, stdout, stderr };
}
