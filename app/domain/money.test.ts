import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { allocateProportionally, currencyExponent, divideRound, divideRoundHalfEven, formatMinor, MoneyError, parseDecimalToMinor } from "./money";

describe("divideRoundHalfEven", () => {
  it.each([
    [5n, 2n, 2n], // 2.5 → 2
    [15n, 10n, 2n], // 1.5 → 2
    [25n, 10n, 2n], // 2.5 → 2
    [35n, 10n, 4n], // 3.5 → 4
    [26n, 10n, 3n],
    [24n, 10n, 2n],
    [-25n, 10n, -2n],
    [-35n, 10n, -4n],
    [25n, -10n, -2n],
    [0n, 7n, 0n],
  ])("%i / %i = %i", (numerator, denominator, expected) => {
    expect(divideRoundHalfEven(numerator, denominator)).toBe(expected);
  });

  it("is within half a unit of the exact quotient", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 9n }), (n, d) => {
        const q = divideRoundHalfEven(n, d);
        const error = n * 2n - q * 2n * d; // 2·(n − q·d)
        return error <= d && error >= -d;
      }),
    );
  });
});

describe("parseDecimalToMinor", () => {
  it.each([
    ["199.00", "USD", 19_900n],
    ["0.1", "USD", 10n],
    ["-5.5", "EUR", -550n],
    ["12", "USD", 1_200n],
    ["1.363636", "USD", 136n],
    ["0.125", "USD", 12n], // half to even
    ["0.135", "USD", 14n],
    ["1500", "JPY", 1_500n],
    ["1.234", "KWD", 1_234n],
  ])("%s %s → %i", (text, currency, expected) => {
    expect(parseDecimalToMinor(text, currency)).toBe(expected);
  });

  it("reads JSON numbers by their shortest decimal text, never through float arithmetic", () => {
    expect(parseDecimalToMinor(36.9, "USD")).toBe(3_690n);
    expect(parseDecimalToMinor(0.29, "USD")).toBe(29n); // 0.29 * 100 is 28.999999999999996 in floats
  });

  it("rejects what is not an amount", () => {
    expect(() => parseDecimalToMinor("12,50", "EUR")).toThrow(MoneyError);
    expect(() => parseDecimalToMinor("", "EUR")).toThrow(MoneyError);
    expect(() => parseDecimalToMinor(Number.NaN, "EUR")).toThrow(MoneyError);
    expect(() => parseDecimalToMinor("1", "EURO")).toThrow(/ISO 4217/);
  });

  it("round-trips every amount through formatMinor", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.constantFrom("USD", "JPY", "KWD"),
        (minor, currency) => parseDecimalToMinor(formatMinor(minor, currency), currency) === minor,
      ),
    );
  });
});

describe("currency exponents", () => {
  it("follows ISO 4217 for zero- and three-decimal currencies", () => {
    expect(currencyExponent("jpy")).toBe(0);
    expect(currencyExponent("BHD")).toBe(3);
    expect(currencyExponent("USD")).toBe(2);
    expect(formatMinor(-5n, "USD")).toBe("-0.05");
  });
});

describe("allocateProportionally", () => {
  it("splits a discount over lines so the parts sum exactly", () => {
    expect(allocateProportionally(1_000n, [3_000n, 3_000n, 3_000n])).toEqual([334n, 333n, 333n]);
    expect(allocateProportionally(-100n, [1n, 1n, 1n])).toEqual([-34n, -33n, -33n]);
    expect(allocateProportionally(7n, [0n, 0n])).toEqual([7n, 0n]);
  });

  it("always sums to the total and never moves a part by a whole unit from its share", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 9n }), { minLength: 1, maxLength: 20 }),
        (total, weights) => {
          const parts = allocateProportionally(total, weights);
          const sum = weights.reduce((a, b) => a + b, 0n);
          if (parts.reduce((a, b) => a + b, 0n) !== total) return false;
          if (sum === 0n) return true;
          return parts.every((part, i) => {
            const exactTimesSum = total * weights[i]!;
            const diff = part * sum - exactTimesSum;
            return diff < sum && diff > -sum;
          });
        },
      ),
    );
  });
});

describe("divideRound (a plan's rounding mode)", () => {
  it.each([
    // numerator, denominator, half_even, half_up, toward_zero
    [5n, 2n, 2n, 3n, 2n], // 2.5
    [15n, 10n, 2n, 2n, 1n], // 1.5
    [35n, 10n, 4n, 4n, 3n], // 3.5
    [29n, 10n, 3n, 3n, 2n], // 2.9
    [24n, 10n, 2n, 2n, 2n], // 2.4
    [-25n, 10n, -2n, -3n, -2n], // -2.5
    [-29n, 10n, -3n, -3n, -2n], // -2.9
    [25n, -10n, -2n, -3n, -2n],
    [0n, 7n, 0n, 0n, 0n],
  ])("%i / %i → half_even %i, half_up %i, toward_zero %i", (numerator, denominator, halfEven, halfUp, towardZero) => {
    expect(divideRound(numerator, denominator)).toBe(halfEven);
    expect(divideRound(numerator, denominator, "half_even")).toBe(halfEven);
    expect(divideRound(numerator, denominator, "half_up")).toBe(halfUp);
    expect(divideRound(numerator, denominator, "toward_zero")).toBe(towardZero);
  });

  it("stays within one unit of the exact quotient in every mode, toward zero never above it in size", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 9n }), (n, d) => {
        const halfUp = divideRound(n, d, "half_up");
        const twiceError = n * 2n - halfUp * 2n * d;
        const truncated = divideRound(n, d, "toward_zero");
        const abs = (v: bigint) => (v < 0n ? -v : v);
        return twiceError <= d && twiceError >= -d && abs(truncated) * d <= abs(n) && abs(n) - abs(truncated) * d < d;
      }),
    );
  });
});
