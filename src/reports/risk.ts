// Risk tiers for an indicator, from the reports that carry it. "none" means no record here —
// never "safe": a brand-new scam number has no reports yet.
export const RISK_TIERS = ['high', 'suspected', 'possible', 'none'] as const;
export type RiskTier = (typeof RISK_TIERS)[number];

export const TRUST_LEVELS = ['anonymous', 'signed-in', 'verified-order-owner', 'staff-confirmed'] as const;
export type TrustLevel = (typeof TRUST_LEVELS)[number];
export const trustRank = (t: string) => Math.max(0, TRUST_LEVELS.indexOf(t as TrustLevel));

export interface IndicatorEvidence {
  reports: number;
  /** Highest trust level among those reports (rank in TRUST_LEVELS). */
  maxTrust: number;
  /** Reports that lost money. */
  withLoss: number;
}

/**
 * high: staff-confirmed, or three independent reports, or two where one is from a verified order
 * owner; suspected: two reports, or one trusted (signed-in or better) report, or one with a loss;
 * possible: one anonymous report without loss. Anonymous reports alone need numbers: anyone can
 * file them, including someone trying to get a competitor's number listed.
 */
export function riskTier(e: IndicatorEvidence): RiskTier {
  if (e.reports <= 0) return 'none';
  if (e.maxTrust >= trustRank('staff-confirmed') || e.reports >= 3 || (e.reports >= 2 && e.maxTrust >= trustRank('verified-order-owner'))) return 'high';
  if (e.reports >= 2 || e.maxTrust >= trustRank('signed-in') || e.withLoss > 0) return 'suspected';
  return 'possible';
}

export const tierAtLeast = (t: RiskTier, min: RiskTier) => RISK_TIERS.indexOf(t) <= RISK_TIERS.indexOf(min);
