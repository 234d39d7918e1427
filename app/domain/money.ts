/**
 * Money is an integer count of a currency's minor units (cents, yen, fils) plus its ISO 4217 code.
 * Never a float: platform amounts arrive as decimal strings (or JSON numbers) and are parsed digit by digit.
 *
 * THE ROUNDING RULE (the only one in Upline): every amount is computed exactly as a rational number
 * (numerator / denominator in bigint) and rounded once, at the end, half to even, to the minor unit.
 * `divideRoundHalfEven` is that rule; nothing else in the code base rounds money.
 *
 * A plan may choose another mode for its awards (plan rules `rounding`, see `RoundingMode`): "half_up" (ties
 * away from zero, what most spreadsheets do) or "toward_zero" (truncate: never pays a fraction of a cent it
 * did not earn). The mode only changes that one final rounding of an award; `divideRound` applies it, and
 * half-even stays the default for every plan that does not say otherwise and for everything that is not a
 * plan award (parsing, volumes, refund shares).
 */

export type CurrencyCode = string;

export interface Money {
  readonly amountMinor: bigint;
  readonly currency: CurrencyCode;
}

/** Currencies whose minor unit is not 1/100 (ISO 4217). Everything else has two decimals. */
const MINOR_UNIT_EXPONENTS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

export class MoneyError extends Error {
  override name = "MoneyError";
}

export function normalizeCurrency(code: string): CurrencyCode {
  const upper = code.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(upper)) throw new MoneyError(`"${code}" is not an ISO 4217 currency code`);
  return upper;
}

export function currencyExponent(currency: CurrencyCode): number {
  return MINOR_UNIT_EXPONENTS[normalizeCurrency(currency)] ?? 2;
}

export function money(amountMinor: bigint, currency: CurrencyCode): Money {
  return { amountMinor, currency: normalizeCurrency(currency) };
}

/**
 * Divides exactly and rounds half to even (banker's rounding): 0.5 → 0, 1.5 → 2, -2.5 → -2.
 * Half-even is unbiased over many entries, so sums of rounded commissions drift least from the exact sum.
 */
export function divideRoundHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new MoneyError("division by zero");
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  let quotient = n / denominator;
  const twiceRemainder = (n % denominator) * 2n;
  if (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n)) {
    quotient += 1n;
  }
  return negative ? -quotient : quotient;
}

/** How a plan's awards are rounded to the minor unit; absent in a plan means "half_even". */
export const ROUNDING_MODES = ["half_even", "half_up", "toward_zero"] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];

/**
 * Divides exactly and rounds once with `mode`: "half_even" is divideRoundHalfEven; "half_up" rounds ties away
 * from zero (2.5 → 3, -2.5 → -3); "toward_zero" drops the fraction (2.9 → 2, -2.9 → -2).
 */
export function divideRound(numerator: bigint, denominator: bigint, mode: RoundingMode = "half_even"): bigint {
  if (mode === "half_even") return divideRoundHalfEven(numerator, denominator);
  if (denominator === 0n) throw new MoneyError("division by zero");
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  let quotient = n / denominator;
  if (mode === "half_up" && (n % denominator) * 2n >= denominator) quotient += 1n;
  return negative ? -quotient : quotient;
}

const DECIMAL = /^([+-])?(\d+)(?:\.(\d*))?$/;

/**
 * Parses a decimal amount ("199.00", "-5.5", "12", or a JSON number such as 36.9) into minor units.
 * Digits beyond the currency's exponent (WooCommerce sends tax like "1.363636") are rounded by the one rule.
 */
export function parseDecimalToMinor(value: string | number, currency: CurrencyCode): bigint {
  const text = typeof value === "number" ? numberToDecimalText(value) : value.trim();
  const match = DECIMAL.exec(text);
  if (!match) throw new MoneyError(`"${String(value)}" is not a decimal amount`);
  const [, sign, whole, fraction = ""] = match;
  const exponent = currencyExponent(currency);
  const digits = BigInt(whole + fraction);
  const scale = 10n ** BigInt(fraction.length);
  const minor = divideRoundHalfEven(digits * 10n ** BigInt(exponent), scale);
  return sign === "-" ? -minor : minor;
}

function numberToDecimalText(value: number): string {
  if (!Number.isFinite(value)) throw new MoneyError(`${value} is not a finite amount`);
  // String(n) is the shortest text that round-trips the double, which is the decimal the sender wrote.
  const text = String(value);
  if (/e/i.test(text)) throw new MoneyError(`${text} is outside the range of a money amount`);
  return text;
}

/** Minor units back to a plain decimal string ("1234" USD → "12.34"), for display and CSV. */
export function formatMinor(amountMinor: bigint, currency: CurrencyCode): string {
  const exponent = currencyExponent(currency);
  const negative = amountMinor < 0n;
  const digits = (negative ? -amountMinor : amountMinor).toString().padStart(exponent + 1, "0");
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = exponent > 0 ? `.${digits.slice(digits.length - exponent)}` : "";
  return `${negative ? "-" : ""}${whole}${fraction}`;
}

export function formatMoney(value: Money): string {
  return `${formatMinor(value.amountMinor, value.currency)} ${value.currency}`;
}

/** Splits `total` over `weights` so the parts sum exactly to `total` (largest remainder, ties to the earliest index). */
export function allocateProportionally(total: bigint, weights: readonly bigint[]): bigint[] {
  const weightSum = weights.reduce((sum, w) => sum + w, 0n);
  if (weights.length === 0) return [];
  if (weightSum === 0n) return weights.map((_, i) => (i === 0 ? total : 0n));
  const negative = total < 0n;
  const magnitude = negative ? -total : total;
  const parts = weights.map((w) => (magnitude * w) / weightSum);
  let left = magnitude - parts.reduce((sum, p) => sum + p, 0n);
  const byRemainder = weights
    .map((w, index) => ({ index, remainder: (magnitude * w) % weightSum }))
    .sort((a, b) => (b.remainder === a.remainder ? a.index - b.index : b.remainder > a.remainder ? 1 : -1));
  for (const { index } of byRemainder) {
    if (left === 0n) break;
    parts[index]! += 1n;
    left -= 1n;
  }
  return negative ? parts.map((p) => -p) : parts;
}

/** JSON.stringify replacer that writes bigint amounts as decimal strings (readers convert them back). */
export function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
