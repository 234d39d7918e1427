/**
 * The shop's company node at the close: the root of both trees, never a payee. Its binary pairs (the legs of
 * unrelated roots placed under it), any matching or other period line that reaches it become breakage with
 * reason "company_node", and it holds no rank (so it earns no rank bonus and no DistributorRankPeriod row).
 * Volumes still flow through it as through any node: the people below it are ranked and paid as usual.
 */
import type { PeriodBreakage, PeriodDistributor, PeriodLine, RankResult } from "./types";

export function companyNodesOf(distributors: readonly PeriodDistributor[]): ReadonlySet<string> {
  return new Set(distributors.filter((distributor) => distributor.company === true).map((distributor) => distributor.distributorId));
}

/** The company node qualifies for nothing. */
export function unrankCompanyNodes(ranks: readonly RankResult[], companyIds: ReadonlySet<string>): RankResult[] {
  if (companyIds.size === 0) return [...ranks];
  return ranks.map((rank) => (companyIds.has(rank.distributorId) ? { ...rank, paidAsRank: null, achievedRank: null } : rank));
}

/** This close's lines without the company node's, which go to `breakage`. */
export function withholdCompanyLines(lines: readonly PeriodLine[], companyIds: ReadonlySet<string>, breakage: PeriodBreakage[]): PeriodLine[] {
  if (companyIds.size === 0) return [...lines];
  const kept: PeriodLine[] = [];
  for (const line of lines) {
    if (!companyIds.has(line.distributorId)) kept.push(line);
    else
      breakage.push({
        rule: line.rule,
        kind: line.kind,
        distributorId: line.distributorId,
        amountMinor: line.amountMinor,
        currency: line.currency,
        reason: "company_node",
      });
  }
  return kept;
}
