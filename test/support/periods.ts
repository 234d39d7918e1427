/**
 * Builders shared by the period tests (not used by production code).
 */
import { parsePlanRules, type PlanVersionRef } from "~/domain/engine";
import { periodContaining } from "~/domain/periods/calendar";
import type { BinarySide, PeriodCloseInput, PeriodDistributor, PeriodRef } from "~/domain/periods/types";

export const MARCH: PeriodRef = periodContaining("monthly", "2026-03-15T00:00:00Z");
export const APRIL: PeriodRef = periodContaining("monthly", "2026-04-15T00:00:00Z");

/** Points → hundredths of a point. */
export const pts = (points: number): bigint => BigInt(Math.round(points * 100));

export function periodPlan(components: unknown[], extra: Record<string, unknown> = {}): PlanVersionRef {
  return { id: "plan-p", version: 1, rules: parsePlanRules({ schemaVersion: 1, period: { schedule: "monthly" }, components, ...extra }) };
}

export interface NodeSpec {
  readonly sponsor?: string;
  readonly parent?: string;
  readonly side?: BinarySide;
  readonly status?: PeriodDistributor["status"];
}

/** `{ ROOT: {}, X: { sponsor: "ROOT", parent: "ROOT", side: "left" } }` → distributors. */
export function tree(spec: Record<string, NodeSpec>): PeriodDistributor[] {
  return Object.entries(spec).map(([distributorId, node]) => ({
    distributorId,
    sponsorId: node.sponsor ?? null,
    placement: node.parent ? { parentId: node.parent, side: node.side ?? "left" } : null,
    status: node.status ?? "active",
  }));
}

export function pv(volumes: Record<string, number>): PeriodCloseInput["volumes"] {
  return Object.entries(volumes).map(([distributorId, points]) => ({ distributorId, pvHundredths: pts(points), cvHundredths: pts(points) }));
}

export function closeInput(fields: Partial<PeriodCloseInput> & Pick<PeriodCloseInput, "planVersion" | "distributors">): PeriodCloseInput {
  return {
    period: MARCH,
    currency: "USD",
    volumes: [],
    volumeAdjustments: [],
    binaryCarry: [],
    earnings: [],
    previousRanks: [],
    deferredPayouts: [],
    ...fields,
  };
}

export function earned(amounts: Record<string, number>, rule = "uni"): PeriodCloseInput["earnings"] {
  return Object.entries(amounts).map(([distributorId, amountMinor]) => ({ distributorId, rule, amountMinor: BigInt(amountMinor), currency: "USD" }));
}

export const BINARY = {
  type: "binary",
  id: "binary",
  volume: "pv",
  pairVolume: "100",
  payout: { kind: "per_pair", amountMinor: "1000", currency: "USD" },
  firstPair: "1:1",
  carry: { mode: "carry" },
};
