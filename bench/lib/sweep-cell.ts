// One cell of the attribution sweep: a shop of one shape and seed, every leak kind on it, the
// reports fed one at a time in contact order to fanzha and to the per-order baseline, each
// outcome scored against the ground truth. Also the no-leak and account-takeover draws over the
// same shop (reporters redrawn) for the false-attribution count. The methods see only the
// product's view of a world (`SimShop`); `truth` is read here, for scoring, after they ran.
import { generateShop, type Shop } from '../../src/sim/shaped-shop.ts';
import { leakWorld, shopView, type LeakKind, type ShapedWorld, type LeakOptions } from '../../src/sim/leak-kinds.ts';
import type { ShopShape } from '../../src/sim/shop-shape.ts';
import type { SimShop } from '../../src/sim/world.ts';
import { indexWorld, investigateWorld, worldVictims, type SimInvestigationData } from '../../src/sim/sim-index.ts';
import { suspectId, type AttributionResult, type AttributionSettings } from '../../src/investigations/attribution.ts';
import type { LoginRecord } from '../../src/investigations/attribution.ts';
import { fieldsToMask } from '../../src/lib/fields.ts';
import { PerOrderScreen } from '../baselines/per-order-screen.ts';

export const METHODS = ['fanzha', 'baseline'] as const;
export type Method = (typeof METHODS)[number];

/** The outcome of one method on one world, reports fed one at a time. */
export interface Outcome {
  shape: string;
  kind: LeakKind;
  seed: number;
  method: Method;
  reports: number;
  /** Reports fed when the first attributed name was first right (null: never). */
  firstRightAt: number | null;
  /** With every report: the first attributed name is right. */
  rightFirst: boolean;
  /** With every report: every leaker attributed (two leakers). */
  allLeakers: boolean;
  /** With every report: names attributed that are innocent. */
  falseAtEnd: number;
  /** An innocent was attributed at some point while the reports came in. */
  falseEver: boolean;
  /** The first attributed name at the end (for reading the tables). */
  first: string | null;
}

/** A method: names attributed (principal ids or `org:NAME`), first the strongest, from the product's view alone. */
export type Attributor = (view: SimShop, reportsFed: number) => string[];

/** fanzha's names from a result: a group suspect is `org:NAME` / `team:NAME`, else the principal id. */
export function fanzhaNames(r: AttributionResult, ids: { readonly size: number; id(i: number): string }): string[] {
  return r.attributed.map((key) => suspectId(r, key, ids));
}

const indexCache = new WeakMap<object, SimInvestigationData>();

/** The engine's data for a world; the access index is shared between worlds with the same reads. */
export function dataFor(view: SimShop): SimInvestigationData {
  const cached = indexCache.get(view.access);
  if (!cached) {
    const d = indexWorld(view);
    indexCache.set(view.access, d);
    return d;
  }
  const loginsByCustomer = new Map<number, LoginRecord[]>();
  for (const l of view.logins) {
    let list = loginsByCustomer.get(l.customer);
    if (!list) loginsByCustomer.set(l.customer, (list = []));
    list.push({ at: l.at, ok: l.ok, ip: l.ip, device: l.device });
  }
  return { ...cached, world: view, loginsByCustomer };
}

export function fanzhaAttributor(settings: Partial<AttributionSettings> = {}): Attributor {
  return (view, k) => {
    const data = dataFor(view);
    const r = investigateWorld(data, settings, worldVictims(view).slice(0, k));
    return fanzhaNames(r, data.index.principals);
  };
}

const screens = new WeakMap<object, PerOrderScreen>();
export function baselineAttributor(): Attributor {
  return (view, k) => {
    let s = screens.get(view.access);
    if (!s) {
      const a = view.access;
      s = new PerOrderScreen({
        rows: { n: a.n, principal: a.principal, order: a.order, fields: a.fields, at: a.at },
        orderPlacedAt: view.orders.map((o) => o.placedAt),
        principalIds: view.principals.map((p) => p.id),
        principalOrgs: view.principals.map((p) => p.org),
      });
      screens.set(view.access, s);
    }
    const victims = view.reportSubjects.slice(0, k).map((r) => ({ order: r.order, contactAt: r.contactAt, knewMask: fieldsToMask(r.knewFields) }));
    return s.screen(victims).attributed;
  };
}

/** Scores the names against the truth: right (a leaker, or the leaking company), innocent, or neither (a group that holds a leaker). */
function judge(w: ShapedWorld, name: string): 'right' | 'innocent' | 'near' {
  const t = w.truth;
  if (t.leakers.includes(name) || t.leakingPrincipals.includes(name)) return 'right';
  if (name.startsWith('org:') || name.startsWith('team:')) {
    const [key, value] = [name.startsWith('org:') ? 'org' : 'team', name.slice(name.indexOf(':') + 1)] as const;
    return w.principals.some((p) => p[key] === value && t.leakingPrincipals.includes(p.id)) ? 'near' : 'innocent';
  }
  return 'innocent';
}

/** Feeds a world's reports one at a time to a method and scores it. */
export function runWorld(w: ShapedWorld, shape: string, method: Method, attribute: Attributor, steps?: number[]): Outcome {
  const view = shopView(w);
  const R = w.reports.length;
  const o: Outcome = {
    shape,
    kind: w.truth.kind,
    seed: w.truth.seed,
    method,
    reports: R,
    firstRightAt: null,
    rightFirst: false,
    allLeakers: false,
    falseAtEnd: 0,
    falseEver: false,
    first: null,
  };
  for (const k of steps ?? Array.from({ length: R }, (_, i) => i + 1)) {
    if (k > R) continue;
    const names = attribute(view, k);
    const verdicts = names.map((n) => judge(w, n));
    if (verdicts.includes('innocent')) o.falseEver = true;
    if (o.firstRightAt === null && verdicts[0] === 'right') o.firstRightAt = k;
    if (k === R || k === steps?.at(-1)) {
      o.first = names[0] ?? null;
      o.rightFirst = verdicts[0] === 'right';
      o.falseAtEnd = verdicts.filter((v) => v === 'innocent').length;
      o.allLeakers = w.truth.leakers.length > 0 && w.truth.leakers.every((l) => names.includes(l));
    }
  }
  return o;
}

export interface CellTask {
  shapeName: string;
  shape: ShopShape;
  seed: number;
  kinds: LeakKind[];
  /** No-leak (chance) and account-takeover draws over this shop. */
  nullDraws: number;
  /** For the null draws: the report counts at which to investigate (default every one). */
  nullSteps?: number[];
  /** fanzha's settings for this run (the defaults when absent). */
  settings?: Partial<AttributionSettings>;
}

export function runCell(task: CellTask, onOutcome: (o: Outcome) => void): void {
  const shop: Shop = generateShop(task.shape, task.seed);
  const methods: [Method, Attributor][] = [
    ['fanzha', fanzhaAttributor(task.settings)],
    ['baseline', baselineAttributor()],
  ];
  for (const kind of task.kinds) {
    const w = leakWorld(shop, kind, task.seed);
    for (const [m, f] of methods) onOutcome(runWorld(w, task.shapeName, m, f));
  }
  for (const kind of ['no-leak', 'account-takeover'] as const) {
    for (let d = 0; d < task.nullDraws; d++) {
      const opts: LeakOptions = { selection: 'chance' };
      const w = leakWorld(shop, kind, task.seed * 100_003 + d + 1, opts);
      for (const [m, f] of methods) onOutcome(runWorld(w, task.shapeName, m, f, task.nullSteps));
    }
  }
}
