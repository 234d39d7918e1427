/**
 * Rank advancement: a one-time bonus for each rank a distributor reaches for the first time ever. Paid when the
 * period's paid-as rank is above the highest rank achieved before (DistributorRankPeriod.achievedRank), for
 * every rank above that one up to the new rank: a distributor who skips a rank is paid for it too. A rank
 * already achieved is never paid again, however often it is lost and regained.
 */
import type { RankAdvancementComponent } from "../engine/period-component-schemas";
import type { PeriodLine, RankResult } from "./types";

export function payRankAdvancement(component: RankAdvancementComponent, ranks: readonly RankResult[], rankOrder: ReadonlyMap<string, number>): PeriodLine[] {
  const table = [...rankOrder.entries()].sort((a, b) => a[1] - b[1]).map(([id]) => id);
  const lines: PeriodLine[] = [];
  for (const result of ranks) {
    if (result.paidAsRank === null) continue;
    const reached = rankOrder.get(result.paidAsRank)!;
    const before = result.previousHighestRank === null ? -1 : (rankOrder.get(result.previousHighestRank) ?? -1);
    for (let index = before + 1; index <= reached; index++) {
      const rank = table[index]!;
      const bonus = component.bonuses[rank];
      if (bonus === undefined || BigInt(bonus) === 0n) continue;
      lines.push({
        distributorId: result.distributorId,
        amountMinor: BigInt(bonus),
        currency: component.currency,
        kind: "rank_advancement",
        rule: component.id,
        detail: { type: "rank_advancement", rank },
      });
    }
  }
  return lines;
}
