/**
 * Splitting tax out of tax-inclusive prices (Shopify `taxes_included: true`), so every NormalizedLine is
 * tax-exclusive whatever the shop's pricing mode.
 *
 * The platform already says how much tax the line carries (its tax lines, computed after discounts), so the
 * net amount is exact: gross − discount − tax. The unit price is scaled by net/gross and rounded once by the
 * one rule; the tax-exclusive discount is then whatever makes quantity × unit − discount equal that exact net.
 * The commission base (the net) therefore never carries a rounding error; the discount absorbs it.
 */
import { divideRoundHalfEven } from "../money";

export interface TaxInclusiveLine {
  readonly quantity: number;
  readonly unitPriceGross: bigint;
  readonly discountGross: bigint;
  readonly taxMinor: bigint;
  /** The line's tax rates ("0.06"); only needed when the line's net is zero and gives no ratio. */
  readonly taxRates: readonly (string | number)[];
}

export interface TaxExclusivePrice {
  readonly unitPriceMinor: bigint;
  readonly discountMinor: bigint;
}

export function splitIncludedTax(line: TaxInclusiveLine): TaxExclusivePrice {
  const quantity = BigInt(line.quantity);
  const netGross = quantity * line.unitPriceGross - line.discountGross;
  const netExclusive = netGross - line.taxMinor;
  const unitPriceMinor =
    netGross > 0n ? divideRoundHalfEven(line.unitPriceGross * netExclusive, netGross) : unitPriceFromRates(line.unitPriceGross, line.taxRates);
  return { unitPriceMinor, discountMinor: quantity * unitPriceMinor - netExclusive };
}

/** Fully discounted line: no amounts to take a ratio from, so divide by (1 + Σ rates). */
function unitPriceFromRates(unitPriceGross: bigint, rates: readonly (string | number)[]): bigint {
  let numerator = 0n;
  let denominator = 1n;
  for (const rate of rates) {
    const parsed = parseRate(rate);
    if (parsed === null) continue;
    numerator = numerator * parsed.denominator + parsed.numerator * denominator;
    denominator *= parsed.denominator;
  }
  return divideRoundHalfEven(unitPriceGross * denominator, denominator + numerator);
}

const RATE = /^(\d+)(?:\.(\d+))?$/;

function parseRate(rate: string | number): { numerator: bigint; denominator: bigint } | null {
  const match = RATE.exec(String(rate).trim());
  if (!match) return null;
  const [, whole = "0", fraction = ""] = match;
  return { numerator: BigInt(whole + fraction), denominator: 10n ** BigInt(fraction.length) };
}
