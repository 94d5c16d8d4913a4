// Where a `fanzha` command reads its environment, writes its output and leaves its exit code. The
// binary hands in the process's own (processIo); tests hand in captured ones and run many commands
// in one process (src/testing/cli.ts), instead of starting a TypeScript process per command.
export interface CliStream {
  write(text: string): unknown;
  /** A terminal: progress bars are drawn only there. */
  isTTY?: boolean;
}

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: CliStream;
  stderr: CliStream;
  /** The exit code a command asks for without failing (e.g. 1 when some input lines were rejected). */
  exitCode: number;
}

export function processIo(): CliIo {
  return { env: process.env, stdout: process.stdout, stderr: process.stderr, exitCode: 0 };
}

/** One line on stderr (what is not a result: summaries, confirmations, warnings). */
export function say(io: CliIo, line: string): void {
  io.stderr.write(line + '\n');
}
