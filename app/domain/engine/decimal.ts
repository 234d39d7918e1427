/**
 * Exact decimal text → rational. Plan rates ("12.5" percent), volume points ("22.5") and shares are written
 * as decimal strings so that no float ever touches a rate; the engine keeps them as numerator/denominator.
 */

export interface Rational {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

const UNSIGNED_DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** "12.5" → 125/10. Only plain unsigned decimals: no sign, exponent or grouping, which the schemas reject earlier. */
export function parseUnsignedDecimal(text: string): Rational {
  const match = UNSIGNED_DECIMAL.exec(text);
  if (!match) throw new RangeError(`"${text}" is not an unsigned decimal`);
  const [, whole = "", fraction = ""] = match;
  return { numerator: BigInt(whole + fraction), denominator: 10n ** BigInt(fraction.length) };
}

/** "12.5" percent → 125/1000, the exact share of a base that the percentage stands for. */
export function percentToRatio(percentText: string): Rational {
  const { numerator, denominator } = parseUnsignedDecimal(percentText);
  return { numerator, denominator: denominator * 100n };
}

/** Decimal text comparison without floats, for schema limits such as "a percent is at most 100". */
export function decimalAtMost(text: string, limit: bigint): boolean {
  const { numerator, denominator } = parseUnsignedDecimal(text);
  return numerator <= limit * denominator;
}
