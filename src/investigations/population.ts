// The baseline population an investigation compares victims against: the customers who could
// have been victims in the same period, split into strata matched on what selects victims.
// Refund scams pick customers with a recent order, and a refund request is a strong selector
// (leaked refund data makes the "your refund failed" script work), so the strata are:
//   1 = placed an order in the period, no refund request;  2 = requested a refund in the period.
// Canary customers are never part of it.
import { stratumMembers, type Population } from './attribution.ts';

export const STRATUM_LABELS = ['ordered in the period', 'requested a refund in the period'];

export function buildPopulation(
  customerCount: number,
  orderedInPeriod: Iterable<number>,
  refundedInPeriod: Iterable<number>,
  victims: Iterable<number>,
  isCanary?: (c: number) => boolean,
): Population {
  const stratum = new Uint8Array(customerCount);
  for (const c of orderedInPeriod) if (c >= 0 && c < customerCount) stratum[c] = 1;
  for (const c of refundedInPeriod) if (c >= 0 && c < customerCount) stratum[c] = 2;
  // a victim always belongs to the population it was drawn from
  for (const c of victims) if (c >= 0 && c < customerCount && stratum[c] === 0) stratum[c] = 1;
  if (isCanary) for (let c = 0; c < customerCount; c++) if (stratum[c] && isCanary(c)) stratum[c] = 0;
  return { stratum, labels: STRATUM_LABELS, members: stratumMembers(stratum, STRATUM_LABELS.length) };
}
