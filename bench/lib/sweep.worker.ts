// A worker thread of the attribution sweep: runs the cells it is sent, posts every outcome.
import { parentPort } from 'node:worker_threads';
import { runCell, type CellTask } from './sweep-cell.ts';

parentPort!.on('message', (task: CellTask | null) => {
  if (task === null) return process.exit(0);
  runCell(task, (o) => parentPort!.postMessage({ outcome: o }));
  parentPort!.postMessage({ done: true });
});
