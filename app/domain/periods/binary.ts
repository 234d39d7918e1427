/**
 * Binary pairing for one distributor and one period (pure; close.ts runs it for everyone in the placement tree).
 *
 *   lots      each leg holds the carried lots of earlier periods (oldest first) plus this period's volume as
 *             a new lot: the volume that entered the leg from the placement subtree below it.
 *   pairs     pairVolume from each side makes a pair: pairs = ⌊min(L, R) ÷ pairVolume⌋. When the plan asks for
 *             a 1:2 / 2:1 first pair and the distributor never paired, the first pair takes pairVolume from
 *             one side and twice that from the other (the stronger side gives two), then pairs are 1:1.
 *   consumed  paired volume is taken from both legs, oldest lot first, so a refund later finds the volume of
 *             its own period still in the lot of that period if it is unpaired.
 *   pay       per pair a fixed amount, or a percent of the paired weaker-leg volume (one point = one major
 *             currency unit), rounded half-even once; an inactive distributor pairs nothing.
 *   cap       pay above capPerPeriod is breakage; the capped pairs' volume is consumed all the same. So are
 *             the cycles beyond maxCyclesPerPeriod: formed, consumed, not paid (breakage).
 *   basis     "strong_minus_weak" pays on the difference instead (binary-variants.ts).
 *   carry     "flush": nothing carries. "carry": what is left carries, each leg at most maxPoints, keeping the
 *             newest volume (older lots beyond the cap are flushed first).
 * (Mechanics: exigentsoftech.com traditional binary plan — first pair 1:2 / 2:1, carry-forward or flush;
 * chocoalano/mlm-engine ADR-023 — pairs = ⌊min(L,R) ÷ pair⌋, FIFO carry lots.)
 */
import { divideRound, type RoundingMode } from "../money";
import { percentToRatio } from "../engine/decimal";
import type { BinaryComponent } from "../engine/period-component-schemas";
import { VOLUME_SCALE } from "../engine/volumes";
import type { BinaryCarryState, CarryLot } from "./types";
import { pairOnDifference } from "./binary-variants";
import { pointsToHundredths } from "./volumes";

export interface BinaryPairingInput {
  readonly component: BinaryComponent;
  readonly distributorId: string;
  readonly active: boolean;
  readonly periodKey: string;
  readonly carryIn: BinaryCarryState;
  readonly leftHundredths: bigint;
  readonly rightHundredths: bigint;
  /** 10^exponent of the close currency, for percent payouts. */
  readonly minorPerMajor: bigint;
  /** The cap in the close currency (null: no cap, or a cap in another currency, flagged by the caller). */
  readonly capMinor: bigint | null;
  /** The per-pair amount in the close currency (null for percent payouts). */
  readonly perPairMinor: bigint | null;
  /** The plan's rounding mode for percent payouts (half-even when absent). */
  readonly rounding?: RoundingMode;
}

export interface BinaryPairing {
  readonly pairs: number;
  readonly consumedLeft: bigint;
  readonly consumedRight: bigint;
  readonly earnedMinor: bigint;
  readonly paidMinor: bigint;
  readonly carryOut: BinaryCarryState;
}

export function pairBinary(input: BinaryPairingInput): BinaryPairing {
  const { component, carryIn } = input;
  const pairVolume = pointsToHundredths(component.pairVolume);
  const left = withCurrent(carryIn.left, input.periodKey, input.leftHundredths);
  const right = withCurrent(carryIn.right, input.periodKey, input.rightHundredths);
  const totalLeft = sum(left);
  const totalRight = sum(right);

  let pairs = 0n;
  let consumedLeft = 0n;
  let consumedRight = 0n;
  if (component.basis === "strong_minus_weak") {
    ({ pairs, consumedLeft, consumedRight } = pairOnDifference(input.active, totalLeft, totalRight, pairVolume));
  }
  // Before a required 1:2 / 2:1 first pair is possible, nothing pairs at all.
  const firstPairNeeded = component.firstPair === "1:2_or_2:1" && !carryIn.hasPaired;
  if (input.active && firstPairNeeded && component.basis !== "strong_minus_weak") {
    const leftGivesTwo = totalLeft >= 2n * pairVolume && totalRight >= pairVolume;
    const rightGivesTwo = totalRight >= 2n * pairVolume && totalLeft >= pairVolume;
    if (leftGivesTwo || rightGivesTwo) {
      const twoFromLeft = leftGivesTwo && (!rightGivesTwo || totalLeft >= totalRight);
      consumedLeft = twoFromLeft ? 2n * pairVolume : pairVolume;
      consumedRight = twoFromLeft ? pairVolume : 2n * pairVolume;
      pairs = 1n;
    }
  }
  if (input.active && (!firstPairNeeded || pairs > 0n) && component.basis !== "strong_minus_weak") {
    const more = min(totalLeft - consumedLeft, totalRight - consumedRight) / pairVolume;
    pairs += more;
    consumedLeft += more * pairVolume;
    consumedRight += more * pairVolume;
  }

  const earnedMinor = payFor(component, pairs, pairVolume, input);
  const cycleCapped =
    component.maxCyclesPerPeriod !== undefined && pairs > BigInt(component.maxCyclesPerPeriod)
      ? payFor(component, BigInt(component.maxCyclesPerPeriod), pairVolume, input)
      : earnedMinor;
  const paidMinor = input.capMinor !== null && cycleCapped > input.capMinor ? input.capMinor : cycleCapped;
  const maxCarry = component.carry.mode === "carry" && component.carry.maxPoints !== undefined ? pointsToHundredths(component.carry.maxPoints) : null;
  const carryOf = (lots: readonly CarryLot[], consumed: bigint) => (component.carry.mode === "flush" ? [] : capNewest(consumeOldest(lots, consumed), maxCarry));

  return {
    pairs: Number(pairs),
    consumedLeft,
    consumedRight,
    earnedMinor,
    paidMinor,
    carryOut: {
      rule: component.id,
      distributorId: input.distributorId,
      left: carryOf(left, consumedLeft),
      right: carryOf(right, consumedRight),
      hasPaired: carryIn.hasPaired || pairs > 0n,
    },
  };
}

function payFor(component: BinaryComponent, pairs: bigint, pairVolume: bigint, input: BinaryPairingInput): bigint {
  if (pairs === 0n) return 0n;
  if (component.payout.kind === "per_pair") return input.perPairMinor === null ? 0n : pairs * input.perPairMinor;
  const ratio = percentToRatio(component.payout.percent);
  // paired weaker-leg volume (hundredths of a point = hundredths of a major unit) × percent, in minor units.
  return divideRound(pairs * pairVolume * ratio.numerator * input.minorPerMajor, ratio.denominator * VOLUME_SCALE, input.rounding);
}

function withCurrent(lots: readonly CarryLot[], periodKey: string, hundredths: bigint): CarryLot[] {
  const kept = lots.filter((lot) => lot.hundredths > 0n);
  return hundredths > 0n ? [...kept, { periodKey, hundredths }] : kept;
}

/** Takes `amount` from the oldest lots first. */
export function consumeOldest(lots: readonly CarryLot[], amount: bigint): CarryLot[] {
  const left: CarryLot[] = [];
  let remaining = amount;
  for (const lot of lots) {
    const taken = min(lot.hundredths, remaining);
    remaining -= taken;
    if (lot.hundredths - taken > 0n) left.push({ periodKey: lot.periodKey, hundredths: lot.hundredths - taken });
  }
  return left;
}

/** Keeps at most `cap` hundredths, the newest volume first: the oldest lots beyond the cap are flushed. */
function capNewest(lots: readonly CarryLot[], cap: bigint | null): CarryLot[] {
  if (cap === null) return [...lots];
  const excess = sum(lots) - cap;
  return excess > 0n ? consumeOldest(lots, excess) : [...lots];
}

function sum(lots: readonly CarryLot[]): bigint {
  return lots.reduce((total, lot) => total + lot.hundredths, 0n);
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
