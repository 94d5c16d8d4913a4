// A worker thread of the calibration bench: no-leak worlds with selected reporters over one
// shop, each investigated once with all its reports; posts whether anyone was accused.
import { parentPort } from 'node:worker_threads';
import { generateShop, type Shop } from '../../src/sim/shaped-shop.ts';
import { leakWorld } from '../../src/sim/leak-kinds.ts';
import type { ShopShape } from '../../src/sim/shop-shape.ts';
import type { SelectionMechanism } from '../../src/sim/reporter-selection.ts';
import { baselineAttributor, fanzhaAttributor } from './sweep-cell.ts';

export interface CalibrationTask {
  shapeName: string;
  shape: ShopShape;
  seed: number;
  mechanism: SelectionMechanism;
  bias: number;
  reports: number;
  /** Each world also holds an innocent bulk API client's read burst. */
  innocentBurst?: boolean;
  from: number;
  draws: number;
}
export interface CalibrationResult {
  mechanism: SelectionMechanism;
  shapeName: string;
  draws: number;
  /** Draws in which each method accused anyone, and whom (first name). */
  accused: { fanzha: number; baseline: number };
  names: string[];
}

const shops = new Map<string, Shop>();
const fanzha = fanzhaAttributor();
const baseline = baselineAttributor();
parentPort!.on('message', (t: CalibrationTask | null) => {
  if (t === null) return process.exit(0);
  const key = `${t.shapeName}/${t.seed}`;
  let shop = shops.get(key);
  if (!shop) shops.set(key, (shop = generateShop(t.shape, t.seed)));
  const r: CalibrationResult = { mechanism: t.mechanism, shapeName: t.shapeName, draws: t.draws, accused: { fanzha: 0, baseline: 0 }, names: [] };
  for (let d = 0; d < t.draws; d++) {
    const w = leakWorld(shop, 'no-leak', t.from + d, { selection: t.mechanism, bias: t.bias, reporters: t.reports, innocentBurst: t.innocentBurst ?? false });
    const f = fanzha(w, w.reports.length);
    const b = baseline(w, w.reports.length);
    if (f.length) {
      r.accused.fanzha++;
      r.names.push(`fanzha:${f[0]}`);
    }
    if (b.length) r.accused.baseline++;
  }
  parentPort!.postMessage({ result: r });
  parentPort!.postMessage({ done: true });
});
