/**
 * THE commission rounding rule, in one function: an award is computed exactly as a rational
 * (base × percent, or quantity × fixed amount) for one (order line × recipient × rule) and rounded half-even
 * once, at the end, with money.ts's divideRoundHalfEven. Nothing is rounded before this point, and the rounded
 * amounts are never re-rounded or summed before rounding.
 */
import { divideRoundHalfEven } from "../money";
import { percentToRatio, type Rational } from "./decimal";
import type { Rate } from "./plan-schema";

/** A rate with its decimal text parsed once per plan version (see unilevel.ts's cache). */
export type CompiledRate =
  | { readonly kind: "percent"; readonly ratio: Rational; readonly source: Rate }
  | { readonly kind: "fixed_per_unit"; readonly amountMinor: bigint; readonly currency: string; readonly source: Rate };

export function compileRate(rate: Rate): CompiledRate {
  return rate.kind === "percent"
    ? { kind: "percent", ratio: percentToRatio(rate.percent), source: rate }
    : { kind: "fixed_per_unit", amountMinor: BigInt(rate.amountMinor), currency: rate.currency, source: rate };
}

export function isZeroRate(rate: CompiledRate): boolean {
  return rate.kind === "percent" ? rate.ratio.numerator === 0n : rate.amountMinor === 0n;
}

/** The award for one line and one level, in minor units. Fixed amounts are exact; percentages round half-even. */
export function awardMinor(rate: CompiledRate, baseMinor: bigint, quantity: number): bigint {
  if (rate.kind === "fixed_per_unit") return rate.amountMinor * BigInt(quantity);
  return divideRoundHalfEven(baseMinor * rate.ratio.numerator, rate.ratio.denominator);
}
