// Thread side of leaked-file extraction: large files are read here so the event loop keeps
// serving other requests (see leak-match.offload.ts).
import { parentPort } from 'node:worker_threads';
import { extractLeak, type LeakFormat } from './leak-match.extract.ts';

export interface ExtractJob {
  job: number;
  content: string;
  format: LeakFormat;
}

parentPort!.on('message', (m: ExtractJob) => {
  try {
    parentPort!.postMessage({ job: m.job, result: extractLeak(m.content, m.format) });
  } catch (e) {
    // the message could quote file content: only the error's kind crosses back
    parentPort!.postMessage({ job: m.job, error: (e as Error).name });
  }
});
parentPort!.postMessage({ ready: true });
