/**
 * THE commission rounding rule, in one function: an award is computed exactly as a rational
 * (base × percent, or quantity × fixed amount) for one (order line × recipient × rule) and rounded once, at
 * the end, with money.ts's divideRound in the plan's rounding mode (half-even unless the plan says
 * otherwise). Nothing is rounded before this point, and the rounded amounts are never re-rounded or summed
 * before rounding.
 *
 * Two rate kinds are not a share of the line's base:
 *   fixed_per_order        a flat amount once per order (and level) for the class, not per unit: level-payout.ts
 *                          spreads it over the order's lines of the class by base (largest remainder, so the
 *                          parts add up to the amount exactly and a refund of one line reverses its share).
 *   percent_of_commission  "relative" rates: a percent of the commission another level earned on the same
 *                          line, after that level's own rounding ("level_below": the level just below, so the
 *                          shares cascade; "level_1": the seller's commission, UpPromote's "network commission
 *                          on program commission"). What a level earned counts whether it was paid or breakage,
 *                          so one inactive upline does not change what the levels above them earn.
 */
import { divideRound, divideRoundHalfEven, type RoundingMode } from "../money";
import { percentToRatio, type Rational } from "./decimal";
import type { Rate } from "./plan-schema";

/** A rate with its decimal text parsed once per plan version (see unilevel.ts's cache). */
export type CompiledRate =
  | { readonly kind: "percent"; readonly ratio: Rational; readonly source: Rate }
  | { readonly kind: "fixed_per_unit"; readonly amountMinor: bigint; readonly currency: string; readonly source: Rate }
  | { readonly kind: "fixed_per_order"; readonly amountMinor: bigint; readonly currency: string; readonly source: Rate }
  | { readonly kind: "percent_of_commission"; readonly ratio: Rational; readonly of: "level_below" | "level_1"; readonly source: Rate };

export function compileRate(rate: Rate): CompiledRate {
  switch (rate.kind) {
    case "percent":
      return { kind: "percent", ratio: percentToRatio(rate.percent), source: rate };
    case "fixed_per_unit":
    case "fixed_per_order":
      return { kind: rate.kind, amountMinor: BigInt(rate.amountMinor), currency: rate.currency, source: rate };
    case "percent_of_commission":
      return { kind: "percent_of_commission", ratio: percentToRatio(rate.percent), of: rate.of, source: rate };
  }
}

export function isZeroRate(rate: CompiledRate): boolean {
  return rate.kind === "percent" || rate.kind === "percent_of_commission" ? rate.ratio.numerator === 0n : rate.amountMinor === 0n;
}

/**
 * The award for one line and one level, in minor units, for the rates that depend only on the line: fixed
 * amounts per unit are exact, percentages of the base round once in `mode`. (fixed_per_order and
 * percent_of_commission need the whole order or the other levels: level-payout.ts computes them.)
 */
export function awardMinor(rate: CompiledRate, baseMinor: bigint, quantity: number, mode: RoundingMode = "half_even"): bigint {
  if (rate.kind === "fixed_per_unit") return rate.amountMinor * BigInt(quantity);
  if (rate.kind === "fixed_per_order") throw new RangeError("a fixed amount per order is spread over the order's lines, not awarded per line");
  // The default mode calls the one rule directly: this is the engine's hot path.
  if (mode === "half_even") return divideRoundHalfEven(baseMinor * rate.ratio.numerator, rate.ratio.denominator);
  return shareMinor(rate.ratio, baseMinor, mode);
}

/** base × ratio, rounded once in `mode`: a percent of a line's base, or of another level's commission. */
export function shareMinor(ratio: Rational, baseMinor: bigint, mode: RoundingMode = "half_even"): bigint {
  return divideRound(baseMinor * ratio.numerator, ratio.denominator, mode);
}
