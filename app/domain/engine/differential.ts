/**
 * Differential unilevel ("you receive the difference between your Unilevel Compensationbase and the highest
 * Compensationbase of any Affiliate on the Sponsor Line [below you]", docs.be-infinity.com unilevel-bonus).
 *
 * Per order line, walking up the level holders from level 1: a paid holder whose paid-as rank's percent is
 * above the highest percent already earned below earns the difference, and that percent becomes the new
 * floor. A holder who is not paid (inactive, unqualified) earns nothing and does not raise the floor, so
 * their difference rolls up to the next holder with the same or a higher rate. What no holder reaches (the
 * table's top percent minus the floor at the end of the chain) is breakage. Each award is base × difference,
 * rounded once in the plan's rounding mode (half-even by default).
 */
import { divideRound } from "../money";
import { percentToRatio, type Rational } from "./decimal";
import type { LevelHolder, LevelPayout } from "./level-payout";
import type { UnilevelComponent } from "./plan-schema";
import type { BreakageLine, CommissionLine, ComponentContext } from "./types";

type Differential = NonNullable<UnilevelComponent["differential"]>;

/** Percent per rank, in millionths of a percent (every percent has at most 6 decimals, so this is exact). */
type CompiledDifferential = ReadonlyMap<string, ReadonlyMap<string, bigint>>;
const PER_MILLION_OF_PERCENT = 100_000_000n;
const compiled = new WeakMap<Differential, CompiledDifferential>();

function compile(differential: Differential): CompiledDifferential {
  let table = compiled.get(differential);
  if (!table) {
    table = new Map(
      Object.entries(differential.rates).map(([classId, byRank]) => [
        classId,
        new Map(Object.entries(byRank).map(([rankId, percent]) => [rankId, scaled(percentToRatio(percent))])),
      ]),
    );
    compiled.set(differential, table);
  }
  return table;
}

function scaled(ratio: Rational): bigint {
  return (ratio.numerator * PER_MILLION_OF_PERCENT) / ratio.denominator;
}

export function evaluateDifferential(rule: string, differential: Differential, holders: readonly LevelHolder[], context: ComponentContext): LevelPayout {
  const table = compile(differential);
  const rankOf = new Map(context.upline.map((node) => [node.distributorId, node.rank ?? null]));
  const lines: CommissionLine[] = [];
  const breakage: BreakageLine[] = [];
  for (const line of context.lines) {
    const byRank = table.get(line.classId);
    if (!byRank) continue;
    let floor = 0n;
    let lastLevel = 0;
    for (const holder of holders) {
      lastLevel = holder.level;
      if (!holder.paid || holder.distributorId === null) continue;
      const rank = rankOf.get(holder.distributorId) ?? null;
      const rate = rank === null ? 0n : (byRank.get(rank) ?? 0n);
      if (rate <= floor) continue;
      const difference = rate - floor;
      const amountMinor = divideRound(line.baseMinor * difference, PER_MILLION_OF_PERCENT, context.rounding);
      floor = rate;
      if (amountMinor === 0n) continue;
      lines.push({
        distributorId: holder.distributorId,
        amountMinor,
        currency: context.currency,
        kind: "unilevel",
        level: holder.level,
        rule,
        orderLineId: line.orderLineId,
        classId: line.classId,
        basisMinor: line.baseMinor,
        rate: { kind: "percent", percent: formatScaled(difference) },
      });
    }
    const top = [...byRank.values()].reduce((max, rate) => (rate > max ? rate : max), 0n);
    if (top > floor) {
      const amountMinor = divideRound(line.baseMinor * (top - floor), PER_MILLION_OF_PERCENT, context.rounding);
      if (amountMinor > 0n) {
        breakage.push({
          rule,
          kind: "unilevel",
          level: lastLevel,
          orderLineId: line.orderLineId,
          classId: line.classId,
          amountMinor,
          currency: context.currency,
          basisMinor: line.baseMinor,
          rate: { kind: "percent", percent: formatScaled(top - floor) },
          reason: "not_qualified",
          distributorId: null,
        });
      }
    }
  }
  return { lines, breakage, flags: [] };
}

/** Millionths of a percent → percent text ("2.5"). */
function formatScaled(value: bigint): string {
  const whole = value / 1_000_000n;
  const fraction = (value % 1_000_000n).toString().padStart(6, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : String(whole);
}
