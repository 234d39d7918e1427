/**
 * Binary "pay on the difference" (plan basis "strong_minus_weak"): instead of pairing the weaker leg against
 * the stronger, a distributor is paid on the stronger leg's volume beyond the weaker leg's, in whole units of
 * pairVolume (one unit = one cycle: a fixed amount per cycle, or a percent of the unit's volume).
 *
 *   difference  D = strong − weak, over each leg's carried lots plus this period's volume
 *   cycles      ⌊D ÷ pairVolume⌋, capped by maxCyclesPerPeriod like weak-leg pairs (binary.ts)
 *   consumed    the weaker leg's whole volume on both sides (it is what the difference is measured against)
 *               and the paid cycles' volume on the stronger side; what is left (less than one unit, on the
 *               stronger side only) carries when the plan carries.
 * No published worked example was found for this variant; the amounts in binary-variants.test.ts are derived
 * from the rule above.
 */

export interface DifferencePairing {
  readonly pairs: bigint;
  readonly consumedLeft: bigint;
  readonly consumedRight: bigint;
}

export function pairOnDifference(active: boolean, totalLeft: bigint, totalRight: bigint, unit: bigint): DifferencePairing {
  if (!active) return { pairs: 0n, consumedLeft: 0n, consumedRight: 0n };
  const leftStronger = totalLeft >= totalRight;
  const weak = leftStronger ? totalRight : totalLeft;
  const difference = (leftStronger ? totalLeft : totalRight) - weak;
  const pairs = difference / unit;
  const strongConsumed = weak + pairs * unit;
  return leftStronger ? { pairs, consumedLeft: strongConsumed, consumedRight: weak } : { pairs, consumedLeft: weak, consumedRight: strongConsumed };
}
