/**
 * PV / CV per order line from the line's commission class. Volumes are kept in hundredths of a point
 * (VOLUME_SCALE) and, like money, computed exactly and rounded half-even once.
 */
import { divideRoundHalfEven } from "../money";
import type { VolumeRule } from "./class-schema";
import { parseUnsignedDecimal, percentToRatio, type Rational } from "./decimal";

export const VOLUME_SCALE = 100n;

/** Hundredths of a point as exact decimal text for people and APIs: 1250n → "12.50", -5n → "-0.05". */
export function hundredthsToPoints(hundredths: bigint): string {
  const magnitude = hundredths < 0n ? -hundredths : hundredths;
  return `${hundredths < 0n ? "-" : ""}${magnitude / VOLUME_SCALE}.${(magnitude % VOLUME_SCALE).toString().padStart(2, "0")}`;
}

// Parse each distinct rule text once, not once per order line. Keyed by the text (a value), not by the rule
// object, so a class row edited in place can never be served a stale ratio. Distinct texts are few; the cap
// only guards against unbounded growth.
const parsedRules = new Map<string, Rational>();
const PARSED_RULES_CAP = 10_000;

function ratioOf(rule: VolumeRule): Rational {
  const key = rule.kind === "per_unit" ? `u${rule.points}` : `s${rule.percent}`;
  let ratio = parsedRules.get(key);
  if (!ratio) {
    ratio = rule.kind === "per_unit" ? parseUnsignedDecimal(rule.points) : percentToRatio(rule.percent);
    if (parsedRules.size >= PARSED_RULES_CAP) parsedRules.clear();
    parsedRules.set(key, ratio);
  }
  return ratio;
}

/**
 * `share_of_net` counts one point per major currency unit of the net amount, so the result depends on the
 * currency's exponent (passed as 10^exponent to keep this free of currency lookups on the hot path).
 */
export function lineVolumeHundredths(rule: VolumeRule, quantity: number, netMinor: bigint, minorPerMajor: bigint): bigint {
  const ratio = ratioOf(rule);
  if (rule.kind === "per_unit") {
    return divideRoundHalfEven(ratio.numerator * BigInt(quantity) * VOLUME_SCALE, ratio.denominator);
  }
  const net = netMinor > 0n ? netMinor : 0n;
  return divideRoundHalfEven(net * ratio.numerator * VOLUME_SCALE, ratio.denominator * minorPerMajor);
}
