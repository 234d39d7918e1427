/**
 * Rank qualification for one period, over the SPONSOR tree. Per distributor:
 *   personal volume  PV = their own volume of the period;
 *   legs             one per personally sponsored distributor: that distributor's whole sponsor subtree;
 *   group volume     GV = PV + every leg's volume;
 *   active legs      personally sponsored distributors who are active with PV ≥ activeLegMinPersonalVolume.
 * A rank with `maxLegPercent` counts at most that share of ITS OWN group-volume requirement from any one leg
 * ("no more than 40% from one leg": 40% of 4,350 = 1,740, immasteryacademy.zendesk.com 360041616972):
 *   qualifying GV = PV + Σ min(leg, ⌊groupVolume × maxLegPercent⌋).
 * Every rank is checked, highest first; the paid-as rank is the highest whose every requirement is met by an
 * active distributor. The achieved rank is the highest ever (previous highest or paid-as) and never drops.
 */
import { percentToRatio } from "../engine/decimal";
import type { RankComponent, RankDefinition } from "../engine/period-component-schemas";
import type { PeriodTrees } from "./trees";
import { subtreeSums } from "./trees";
import type { PreviousRank, RankResult } from "./types";
import { pointsToHundredths, type PeriodVolumes } from "./volumes";

interface CompiledRank {
  readonly id: string;
  readonly personal: bigint;
  readonly group: bigint;
  /** Most one leg may count, in hundredths; null = no cap. */
  readonly legCap: bigint | null;
  readonly activeLegs: number;
}

function compileRank(rank: RankDefinition): CompiledRank {
  const group = pointsToHundredths(rank.groupVolume);
  let legCap: bigint | null = null;
  if (rank.maxLegPercent !== undefined) {
    const ratio = percentToRatio(rank.maxLegPercent);
    legCap = (group * ratio.numerator) / ratio.denominator;
  }
  return { id: rank.id, personal: pointsToHundredths(rank.personalVolume), group, legCap, activeLegs: rank.activeLegs };
}

export function qualifyRanks(
  component: RankComponent | undefined,
  trees: PeriodTrees,
  volumes: PeriodVolumes,
  previous: readonly PreviousRank[],
): RankResult[] {
  const kind = component?.volume ?? "pv";
  const personal = (id: string) => volumes.personal(kind, id);
  const group = subtreeSums(trees.sponsorPostOrder, (id) => trees.sponsorChildren.get(id) ?? [], personal);
  const previousOf = new Map(previous.map((row) => [row.distributorId, row.highestRank]));
  const ranks = (component?.ranks ?? []).map(compileRank);
  const order = new Map(ranks.map((rank, index) => [rank.id, index]));
  const activeMin = component ? pointsToHundredths(component.activeLegMinPersonalVolume) : 0n;

  return trees.ids.map((id): RankResult => {
    const legs = (trees.sponsorChildren.get(id) ?? []).map((child) => group.get(child)!);
    const pv = personal(id);
    const activeLegs = (trees.sponsorChildren.get(id) ?? []).filter(
      (child) => trees.byId.get(child)!.status === "active" && personal(child) >= activeMin,
    ).length;
    let paidAs: CompiledRank | null = null;
    let qualifyingGroup = group.get(id)!;
    if (trees.byId.get(id)!.status === "active") {
      for (let index = ranks.length - 1; index >= 0; index--) {
        const rank = ranks[index]!;
        const counted = pv + legs.reduce((sum, leg) => sum + (rank.legCap !== null && leg > rank.legCap ? rank.legCap : leg), 0n);
        if (pv >= rank.personal && counted >= rank.group && activeLegs >= rank.activeLegs) {
          paidAs = rank;
          qualifyingGroup = counted;
          break;
        }
      }
    }
    const previousHighest = previousOf.get(id) ?? null;
    const previousIndex = previousHighest === null ? -1 : (order.get(previousHighest) ?? -1);
    const paidIndex = paidAs === null ? -1 : order.get(paidAs.id)!;
    return {
      distributorId: id,
      paidAsRank: paidAs?.id ?? null,
      // A previous rank the current table no longer lists counts as below every listed rank.
      achievedRank: paidIndex > previousIndex ? paidAs!.id : previousHighest,
      previousHighestRank: previousHighest,
      personalHundredths: pv,
      groupHundredths: group.get(id)!,
      qualifyingGroupHundredths: qualifyingGroup,
      activeLegs,
    };
  });
}

/** Rank ids → position in the table (higher = more senior), for "at least rank X" checks. */
export function rankOrder(component: RankComponent | undefined): ReadonlyMap<string, number> {
  return new Map((component?.ranks ?? []).map((rank, index) => [rank.id, index]));
}
