// The `fanzha sim` options for shaped worlds (shop-shape.ts, leak-kinds.ts): the shape of the
// shop, the leak kind, and how reporters are selected when nothing leaked.
import type { Command } from 'commander';
import { DEFAULT_SHAPE, type ShopShape } from './shop-shape.ts';
import { LEAK_KINDS, type LeakKind, type LeakOptions } from './leak-kinds.ts';
import { SELECTION_MECHANISMS, type SelectionMechanism } from './reporter-selection.ts';

const SHAPE_FLAGS: [keyof ShopShape, string, string][] = [
  ['ordersPerCustomer', '--orders-per-customer <x>', 'mean orders per customer (1 to 8)'],
  ['csCompanies', '--cs-companies <n>', 'outsourced customer-service companies'],
  ['csCompanySize', '--cs-company-size <n>', 'agents per outsourced company (50 to 200)'],
  ['aftersales', '--aftersales <n>', 'after-sales staff'],
  ['warehouse', '--warehouse <n>', 'warehouse staff'],
  ['regions', '--regions <n>', 'regional couriers (province groups)'],
  ['sellers', '--sellers <n>', 'marketplace sellers'],
  ['marketplaceShare', '--marketplace-share <x>', "sellers' share of orders"],
  ['bigSellerShare', '--big-seller-share <x>', "the biggest seller's share of all orders (up to 0.15)"],
  ['bulkApiClients', '--bulk-api-clients <n>', 'bulk API clients'],
  ['bulkApiShare', '--bulk-api-share <x>', 'share of orders each bulk API client reads'],
  ['apiClients', '--api-clients <n>', "small API clients (sellers' ERP connectors, plugins)"],
  ['batchSystems', '--batch-systems <n>', 'batch systems reading every order nightly'],
  ['noiseReports', '--noise-reports <n>', 'unrelated reports mixed in'],
];

function num(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`not a non-negative number: ${v}`);
  return n;
}

/** Adds the shape, leak-kind and selection options to the sim command. */
export function addShapeOptions(cmd: Command): Command {
  cmd.option('--kind <leak>', `a shaped world (issue #13) with this leak: ${LEAK_KINDS.join(', ')}`);
  for (const [key, flag, help] of SHAPE_FLAGS) cmd.option(flag, `${help} (shaped worlds; default ${DEFAULT_SHAPE[key]})`, num);
  cmd.option('--victims <n>', 'shaped worlds: reports from the leak (default 14)', num);
  cmd.option('--selection <how>', `no-leak shaped worlds: reporters selected by ${SELECTION_MECHANISMS.join(', ')}`, 'chance');
  cmd.option('--bias <x>', 'no-leak shaped worlds: how much likelier the selected trait makes a report', num, 1);
  return cmd;
}

/** The shape given on the command line (customers and days from the common options). */
export function shapeFromOptions(o: Record<string, unknown>, customers: number, days: number): ShopShape {
  const shape: ShopShape = { ...DEFAULT_SHAPE, customers, days };
  for (const [key] of SHAPE_FLAGS) if (typeof o[key] === 'number') shape[key] = o[key] as number;
  return shape;
}

export function leakKindOf(v: string): LeakKind {
  if (!LEAK_KINDS.includes(v as LeakKind)) throw new Error(`unknown leak kind "${v}"; use one of ${LEAK_KINDS.join(', ')}`);
  return v as LeakKind;
}

export function leakOptionsFrom(o: Record<string, unknown>): LeakOptions {
  const selection = String(o.selection ?? 'chance') as SelectionMechanism;
  if (!SELECTION_MECHANISMS.includes(selection)) throw new Error(`unknown selection "${selection}"; use one of ${SELECTION_MECHANISMS.join(', ')}`);
  return { selection, bias: Number(o.bias ?? 1), ...(typeof o.victims === 'number' ? { victims: o.victims } : {}) };
}
