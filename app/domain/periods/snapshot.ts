/**
 * The period snapshot: the whole close input as JSON (bigints as decimal strings), stored with the close so
 * it can be replayed byte for byte (closePeriod(periodInputFromSnapshot(s))) and corrected later from what it
 * saw, never from today's tables.
 */
import { canonicalJson } from "../canonical-json";
import { bigintReplacer } from "../money";
import type { PlanVersionRef } from "../engine";
import { PERIOD_SNAPSHOT_FORMAT, type PeriodCloseInput, type PeriodSnapshot } from "./types";

/** Keys sorted at every depth, so the stored text does not depend on how the caller built the input objects. */
export function periodSnapshot(input: PeriodCloseInput): PeriodSnapshot {
  return { format: PERIOD_SNAPSHOT_FORMAT, input: JSON.parse(canonicalJson(JSON.parse(JSON.stringify(input, bigintReplacer)))) as unknown };
}

type Json<T> = { [K in keyof T]: T[K] extends bigint ? string : T[K] extends bigint | undefined ? string | undefined : T[K] };

interface PeriodInputJson {
  readonly period: PeriodCloseInput["period"];
  readonly planVersion: PlanVersionRef;
  readonly currency: string;
  readonly distributors: PeriodCloseInput["distributors"];
  readonly volumes: readonly Json<PeriodCloseInput["volumes"][number]>[];
  readonly volumeAdjustments: readonly Json<PeriodCloseInput["volumeAdjustments"][number]>[];
  readonly binaryCarry: readonly (Omit<PeriodCloseInput["binaryCarry"][number], "left" | "right"> & {
    left: { periodKey: string; hundredths: string }[];
    right: { periodKey: string; hundredths: string }[];
  })[];
  readonly earnings: readonly Json<PeriodCloseInput["earnings"][number]>[];
  readonly previousRanks: PeriodCloseInput["previousRanks"];
  readonly deferredPayouts: readonly Json<PeriodCloseInput["deferredPayouts"][number]>[];
  readonly clawbacks?: readonly { distributorId: string; currency: string; amountMinor: string }[];
  readonly salesBaseMinor?: string;
}

export function periodInputFromSnapshot(snapshot: PeriodSnapshot): PeriodCloseInput {
  if (snapshot.format !== PERIOD_SNAPSHOT_FORMAT) throw new RangeError(`unknown period snapshot format "${String(snapshot.format)}"`);
  const input = snapshot.input as PeriodInputJson;
  const lot = (l: { periodKey: string; hundredths: string }) => ({ periodKey: l.periodKey, hundredths: BigInt(l.hundredths) });
  return {
    period: input.period,
    planVersion: input.planVersion,
    currency: input.currency,
    distributors: input.distributors,
    volumes: input.volumes.map((v) => ({ ...v, pvHundredths: BigInt(v.pvHundredths), cvHundredths: BigInt(v.cvHundredths) })),
    volumeAdjustments: input.volumeAdjustments.map((v) => ({ ...v, pvHundredths: BigInt(v.pvHundredths), cvHundredths: BigInt(v.cvHundredths) })),
    binaryCarry: input.binaryCarry.map((c) => ({ ...c, left: c.left.map(lot), right: c.right.map(lot) })),
    earnings: input.earnings.map((e) => ({ ...e, amountMinor: BigInt(e.amountMinor) })),
    previousRanks: input.previousRanks,
    deferredPayouts: input.deferredPayouts.map((d) => ({ ...d, amountMinor: BigInt(d.amountMinor) })),
    ...(input.clawbacks !== undefined ? { clawbacks: input.clawbacks.map((c) => ({ ...c, amountMinor: BigInt(c.amountMinor) })) } : {}),
    ...(input.salesBaseMinor !== undefined ? { salesBaseMinor: BigInt(input.salesBaseMinor) } : {}),
  };
}

/** A whole close result as storable text (bigints as strings). Deterministic: same result → same text. */
export function periodResultToJson(result: unknown): string {
  return JSON.stringify(result, bigintReplacer);
}
