/**
 * Personal volume per distributor for this period: what the period's orders added, minus the refunds of
 * those orders recorded in the same period (adjustments whose origin is this period). Never below zero: a
 * refund cannot take back more volume than its period counted for that distributor.
 */
import type { PeriodCloseInput, VolumeAdjustment } from "./types";

export type VolumeKind = "pv" | "cv";

export interface PeriodVolumes {
  personal(kind: VolumeKind, distributorId: string): bigint;
  /** Adjustments of earlier periods: they reverse binary carry, never this period's volume. */
  readonly late: readonly VolumeAdjustment[];
}

export function periodVolumes(input: Pick<PeriodCloseInput, "period" | "volumes" | "volumeAdjustments">): PeriodVolumes {
  const pv = new Map<string, bigint>();
  const cv = new Map<string, bigint>();
  for (const volume of input.volumes) {
    pv.set(volume.distributorId, (pv.get(volume.distributorId) ?? 0n) + volume.pvHundredths);
    cv.set(volume.distributorId, (cv.get(volume.distributorId) ?? 0n) + volume.cvHundredths);
  }
  const late: VolumeAdjustment[] = [];
  for (const adjustment of input.volumeAdjustments) {
    if (adjustment.originPeriodKey !== input.period.key) {
      late.push(adjustment);
      continue;
    }
    pv.set(adjustment.distributorId, (pv.get(adjustment.distributorId) ?? 0n) - adjustment.pvHundredths);
    cv.set(adjustment.distributorId, (cv.get(adjustment.distributorId) ?? 0n) - adjustment.cvHundredths);
  }
  const clamp = (value: bigint | undefined) => (value === undefined || value < 0n ? 0n : value);
  return {
    personal: (kind, distributorId) => clamp((kind === "pv" ? pv : cv).get(distributorId)),
    late,
  };
}

/** Points text ("100", "22.5") → hundredths of a point. */
export function pointsToHundredths(points: string): bigint {
  const [whole = "0", fraction = ""] = points.split(".");
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0").slice(0, 2) || "0");
}
