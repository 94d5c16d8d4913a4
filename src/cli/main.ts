#!/usr/bin/env node
// The `fanzha` binary: the command tree (program.ts) on this process's environment and streams.
// A failed command exits at once; a finished one leaves its code and lets the process end by
// itself (`serve` keeps running).
import { processIo } from './cli-io.ts';
import { runCli } from './program.ts';

const io = processIo();
const code = await runCli(process.argv, io);
if (code !== 0) process.exit(code);
