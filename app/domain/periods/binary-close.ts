/**
 * The binary component over the whole placement tree for one close: this period's leg volumes (subtree sums),
 * late refunds taken out of the carried lots of their own period, then pairBinary per distributor.
 */
import { currencyExponent, type RoundingMode } from "../money";
import type { BinaryComponent } from "../engine/period-component-schemas";
import { pairBinary } from "./binary";
import { placementAncestors, subtreeSums, type PeriodTrees } from "./trees";
import type { BinaryCarryState, BinaryResult, CarryLot, PeriodBreakage, PeriodFlag, PeriodLine } from "./types";
import { pointsToHundredths, type PeriodVolumes } from "./volumes";

export interface BinaryCloseInput {
  readonly component: BinaryComponent;
  readonly trees: PeriodTrees;
  readonly volumes: PeriodVolumes;
  readonly periodKey: string;
  readonly currency: string;
  readonly carryIn: readonly BinaryCarryState[];
  /** The plan's rounding mode (half-even when absent). */
  readonly rounding?: RoundingMode | undefined;
}

export interface BinaryClose {
  readonly lines: PeriodLine[];
  readonly breakage: PeriodBreakage[];
  readonly results: BinaryResult[];
  readonly carry: BinaryCarryState[];
  readonly flags: PeriodFlag[];
}

interface MutableCarry {
  left: CarryLot[];
  right: CarryLot[];
  hasPaired: boolean;
}

export function closeBinary(input: BinaryCloseInput): BinaryClose {
  const { component, trees, volumes, currency } = input;
  const flags: PeriodFlag[] = [];
  const kind = component.volume;
  const childrenOf = (id: string) => {
    const slots = trees.placementChild.get(id);
    return slots ? [slots.left, slots.right].filter((child): child is string => child !== null) : [];
  };
  const subtree = subtreeSums(trees.placementPostOrder, childrenOf, (id) => volumes.personal(kind, id));

  const carry = new Map<string, MutableCarry>();
  for (const state of input.carryIn) {
    if (state.rule !== component.id) continue;
    if (!trees.byId.has(state.distributorId)) {
      flags.push({ type: "unknown_distributor", field: "binaryCarry", distributorId: state.distributorId });
      continue;
    }
    carry.set(state.distributorId, { left: [...state.left], right: [...state.right], hasPaired: state.hasPaired });
  }
  for (const adjustment of volumes.late) {
    if (!trees.byId.has(adjustment.distributorId)) {
      flags.push({ type: "unknown_distributor", field: "volumeAdjustments", distributorId: adjustment.distributorId });
      continue;
    }
    const amount = kind === "pv" ? adjustment.pvHundredths : adjustment.cvHundredths;
    if (amount <= 0n) continue;
    for (const { ancestorId, side } of placementAncestors(trees, adjustment.distributorId)) {
      const state = carry.get(ancestorId);
      const lots = state?.[side] ?? [];
      const index = lots.findIndex((lot) => lot.periodKey === adjustment.originPeriodKey);
      const held = index < 0 ? 0n : lots[index]!.hundredths;
      const taken = held < amount ? held : amount;
      if (state && index >= 0) state[side][index] = { periodKey: adjustment.originPeriodKey, hundredths: held - taken };
      if (taken < amount) {
        flags.push({
          type: "adjustment_exceeds_carry",
          rule: component.id,
          distributorId: ancestorId,
          side,
          originPeriodKey: adjustment.originPeriodKey,
          unreversedHundredths: amount - taken,
        });
      }
    }
  }

  const perPairMinor = component.payout.kind === "per_pair" ? inCurrency(component.payout, currency, component.id, flags) : null;
  const capMinor = component.capPerPeriod ? inCurrency(component.capPerPeriod, currency, component.id, flags) : null;
  const minorPerMajor = 10n ** BigInt(currencyExponent(currency));

  const out: BinaryClose = { lines: [], breakage: [], results: [], carry: [], flags };
  for (const id of trees.ids) {
    const slots = trees.placementChild.get(id);
    const leftHundredths = slots?.left ? subtree.get(slots.left)! : 0n;
    const rightHundredths = slots?.right ? subtree.get(slots.right)! : 0n;
    const state = carry.get(id) ?? { left: [], right: [], hasPaired: false };
    const carriedInLeft = state.left.reduce((sum, lot) => sum + lot.hundredths, 0n);
    const carriedInRight = state.right.reduce((sum, lot) => sum + lot.hundredths, 0n);
    if (leftHundredths === 0n && rightHundredths === 0n && carriedInLeft === 0n && carriedInRight === 0n) {
      // Nothing to pair; whether they ever paired still matters for a 1:2 first pair later.
      if (state.hasPaired) out.carry.push({ rule: component.id, distributorId: id, left: [], right: [], hasPaired: true });
      continue;
    }
    const pairing = pairBinary({
      component,
      distributorId: id,
      active: trees.byId.get(id)!.status === "active",
      periodKey: input.periodKey,
      carryIn: { rule: component.id, distributorId: id, ...state },
      leftHundredths,
      rightHundredths,
      minorPerMajor,
      capMinor,
      perPairMinor,
      ...(input.rounding ? { rounding: input.rounding } : {}),
    });
    out.results.push({ rule: component.id, distributorId: id, leftHundredths, rightHundredths, carriedInLeft, carriedInRight, ...pairing });
    const keep = pairing.carryOut;
    if (keep.left.length > 0 || keep.right.length > 0 || keep.hasPaired) out.carry.push(keep);
    if (pairing.paidMinor > 0n) {
      out.lines.push({
        distributorId: id,
        amountMinor: pairing.paidMinor,
        currency,
        kind: "binary",
        rule: component.id,
        detail: { type: "binary", pairs: pairing.pairs, pairedHundredths: pairedVolume(component, pairing), earnedMinor: pairing.earnedMinor },
      });
    }
    if (pairing.earnedMinor > pairing.paidMinor) {
      out.breakage.push({
        rule: component.id,
        kind: "binary",
        distributorId: id,
        amountMinor: pairing.earnedMinor - pairing.paidMinor,
        currency,
        reason: "cap",
      });
    }
  }
  return out;
}

function inCurrency(amount: { amountMinor: string; currency: string }, currency: string, rule: string, flags: PeriodFlag[]): bigint | null {
  if (amount.currency === currency) return BigInt(amount.amountMinor);
  if (!flags.some((flag) => flag.type === "currency_mismatch" && flag.rule === rule && flag.currency === amount.currency)) {
    flags.push({ type: "currency_mismatch", rule, currency: amount.currency });
  }
  return null;
}

/** The volume paid on: the paired weaker-leg volume, or the paid cycles of the difference (binary-variants.ts). */
function pairedVolume(component: BinaryComponent, pairing: { pairs: number; consumedLeft: bigint; consumedRight: bigint }): bigint {
  if (component.basis === "strong_minus_weak") return BigInt(pairing.pairs) * pointsToHundredths(component.pairVolume);
  return pairing.consumedLeft < pairing.consumedRight ? pairing.consumedLeft : pairing.consumedRight;
}
