/**
 * Unilevel: each order line pays a rate per level up the sponsor chain, by commission class, to `maxDepth` levels.
 *
 * Who is level 1: the attributed distributor, i.e. the referrer who made the sale (upline[0]). Their sponsor is
 * level 2, and so on. With dynamic compression an upline who is not active (inactive or terminated) is skipped
 * and does not use up a level, so levels are counted over active uplines only; without compression each upline
 * holds their level and an inactive holder's share is breakage. A distributor who is not active is never paid.
 * Levels nobody can fill are reported as breakage (kept by the company), never paid to someone else.
 *
 * Rank options (plan-schema.ts): `rankDepth` limits the levels a holder is paid on by their paid-as rank (an
 * unqualified level is breakage, it does not roll up); `differential` replaces per-level rates by per-rank
 * rates paid as differences (differential.ts).
 */
import { evaluateDifferential } from "./differential";
import { assignLevels, compileLevelRates, payLevels, type LevelHolder } from "./level-payout";
import type { UnilevelComponent } from "./plan-schema";
import type { ComponentContext, ComponentOutput, UplineNode } from "./types";

export function evaluateUnilevel(component: UnilevelComponent, context: ComponentContext): ComponentOutput {
  const assigned = assignLevels(component, context.upline);
  const holders = component.rankDepth ? limitByRank(assigned.holders, component.rankDepth, context.upline) : assigned.holders;
  const payout = component.differential
    ? evaluateDifferential(component.id, component.differential, holders, context)
    : payLevels(compileLevelRates(component.rates ?? {}), holders, {
        rule: component.id,
        kind: "unilevel",
        currency: context.currency,
        lines: context.lines,
        rounding: context.rounding,
      });

  return {
    lines: payout.lines,
    breakage: payout.breakage,
    flags: payout.flags,
    snapshot: {
      type: "unilevel",
      rule: component.id,
      compression: component.compression,
      levels: holders.map(({ level, distributorId, paid }) => ({ level, distributorId, paid })),
      compressed: assigned.compressed,
    },
  };
}

/** A paid holder whose paid-as rank does not reach their level keeps the level but is not paid on it. */
function limitByRank(holders: readonly LevelHolder[], rankDepth: NonNullable<UnilevelComponent["rankDepth"]>, upline: readonly UplineNode[]): LevelHolder[] {
  const rankOf = new Map(upline.map((node) => [node.distributorId, node.rank ?? null]));
  return holders.map((holder) => {
    if (!holder.paid || holder.distributorId === null) return holder;
    const rank = rankOf.get(holder.distributorId) ?? null;
    const depth = rank === null ? rankDepth.unranked : (rankDepth.byRank[rank] ?? rankDepth.unranked);
    return holder.level <= depth ? holder : { ...holder, paid: false, reason: "not_qualified" };
  });
}
