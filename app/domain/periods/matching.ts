/**
 * Matching bonus: a percent of what the distributors below a member in the SPONSOR tree earned in the period
 * from the matched components, by generation. Walking up from each earner: their sponsor holds generation 1,
 * the next sponsor generation 2, and so on; with `generationEndsAtRank` a generation instead runs down to and
 * including the first distributor of at least that paid-as rank on the line, so generation g of a member is
 * 1 + the number of such leaders strictly between the member and the earner. With dynamic compression an
 * inactive sponsor is skipped and holds no generation; without it their share is breakage. A matcher below a
 * generation's minRank is not qualified: their share is breakage and does not roll up.
 *
 * Never on the member's own earnings (the walk starts at the earner's sponsor) and never on a matching bonus
 * (the schema only lets unilevel, matrix, fast-start and binary be matched). Each (earner, matcher) award is
 * earnings × percent, rounded once in the plan's rounding mode (half-even by default).
 */
import { divideRound, type RoundingMode } from "../money";
import { percentToRatio } from "../engine/decimal";
import type { MatchingComponent } from "../engine/period-component-schemas";
import { compareIds } from "../genealogy/tree";
import type { PeriodTrees } from "./trees";
import type { PeriodBreakage, PeriodLine } from "./types";

export interface MatchingInput {
  readonly component: MatchingComponent;
  readonly trees: PeriodTrees;
  readonly currency: string;
  /** Earnings per distributor from the matched rules, this period (per-order and period lines). */
  readonly earnings: ReadonlyMap<string, bigint>;
  /** Paid-as rank position per distributor (higher = more senior); absent = unranked. */
  readonly rankIndexOf: (distributorId: string) => number;
  readonly rankOrder: ReadonlyMap<string, number>;
  /** The plan's rounding mode (half-even when absent). */
  readonly rounding?: RoundingMode | undefined;
}

export function payMatching(input: MatchingInput): { lines: PeriodLine[]; breakage: PeriodBreakage[] } {
  const { component, trees } = input;
  const lines: PeriodLine[] = [];
  const breakage: PeriodBreakage[] = [];
  const generations = component.generations.map((generation) => ({
    percent: generation.percent,
    ratio: percentToRatio(generation.percent),
    minRank: generation.minRank === undefined ? -1 : input.rankOrder.get(generation.minRank)!,
  }));
  const leaderRank = component.generationEndsAtRank === undefined ? null : input.rankOrder.get(component.generationEndsAtRank)!;
  const isLeader = (id: string) => leaderRank !== null && input.rankIndexOf(id) >= leaderRank;

  for (const earnerId of trees.ids) {
    const earned = input.earnings.get(earnerId) ?? 0n;
    if (earned <= 0n) continue;
    let generation = 1;
    const seen = new Set([earnerId]);
    for (let matcherId = trees.byId.get(earnerId)!.sponsorId; matcherId !== null && generation <= generations.length;) {
      if (seen.has(matcherId)) break; // indexTrees refuses loops; this only guards the walk
      seen.add(matcherId);
      const matcher = trees.byId.get(matcherId)!;
      const active = matcher.status === "active";
      if (active || component.compression === "none") {
        const rule = generations[generation - 1]!;
        const amountMinor = divideRound(earned * rule.ratio.numerator, rule.ratio.denominator, input.rounding);
        const qualified = active && input.rankIndexOf(matcherId) >= rule.minRank;
        if (amountMinor > 0n && qualified) {
          lines.push({
            distributorId: matcherId,
            amountMinor,
            currency: input.currency,
            kind: "matching",
            rule: component.id,
            detail: { type: "matching", sourceDistributorId: earnerId, generation, basisMinor: earned, percent: rule.percent },
          });
        } else if (amountMinor > 0n) {
          breakage.push({
            rule: component.id,
            kind: "matching",
            distributorId: matcherId,
            amountMinor,
            currency: input.currency,
            reason: active ? "not_qualified" : "not_active",
          });
        }
        if (leaderRank === null || isLeader(matcherId)) generation += 1;
      }
      matcherId = matcher.sponsorId;
    }
  }
  // Per recipient, then per source: the order the statement lists them in, whatever the walk order was.
  lines.sort((a, b) => compareIds(a.distributorId, b.distributorId) || compareIds(sourceOf(a), sourceOf(b)));
  return { lines, breakage };
}

function sourceOf(line: PeriodLine): string {
  return line.detail.type === "matching" ? line.detail.sourceDistributorId : "";
}
