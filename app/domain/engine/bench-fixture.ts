/**
 * The engine micro benchmark's fixture and loop, shared by the unit test (a sanity floor) and the bench script
 * (bench/engine-eval.ts): a 10-level unilevel with dynamic compression over a 12-node upline with two inactive
 * members, on a 5-line order with discounts, tax and shipping included in the base.
 */
import { evaluate } from "./evaluate";
import { parsePlanRules } from "./plan-schema";
import type { EvaluationInput, UplineNode } from "./types";

export const BENCH_LEVELS = 10;
export const BENCH_ORDER_LINES = 5;

export function buildBenchInput(): EvaluationInput {
  const percents = ["10", "7.5", "5", "4", "3", "2.5", "2", "1.5", "1", "0.5"];
  const rules = parsePlanRules({
    schemaVersion: 1,
    components: [
      {
        type: "unilevel",
        id: "unilevel",
        maxDepth: BENCH_LEVELS,
        compression: "dynamic",
        rates: {
          standard: percents.map((percent) => ({ kind: "percent", percent })),
          kits: percents.map(() => ({ kind: "fixed_per_unit", amountMinor: "150", currency: "USD" })),
        },
      },
    ],
  });
  const upline: UplineNode[] = Array.from({ length: BENCH_LEVELS + 2 }, (_, index) => ({
    distributorId: `dist-${index}`,
    status: index === 3 || index === 7 ? "inactive" : "active",
    rank: index % 3 === 0 ? "gold" : null,
    sponsorDepth: 40 - index,
  }));
  return {
    order: {
      orderId: "order-bench",
      platform: "shopify",
      platformOrderId: "820982911946154508",
      orderedAt: "2026-03-01T12:00:00Z",
      currency: "USD",
      shippingMinor: 1_250n,
      taxMinor: 2_113n,
      lines: Array.from({ length: BENCH_ORDER_LINES }, (_, index) => ({
        platformLineId: `line-${index}`,
        sku: index === 4 ? "KIT-1" : `SKU-${index}`,
        platformVariantId: `variant-${index}`,
        quantity: index + 1,
        unitPriceMinor: 1_999n + BigInt(index) * 500n,
        discountMinor: BigInt(index) * 123n,
        taxMinor: 400n,
      })),
    },
    planVersion: { id: "plan-bench", version: 1, rules },
    catalog: {
      defaultClassId: "standard",
      classes: [
        { id: "standard", name: "Standard", pv: { kind: "share_of_net", percent: "100" }, cv: { kind: "share_of_net", percent: "80" } },
        { id: "kits", name: "Starter kits", pv: { kind: "per_unit", points: "50" }, cv: { kind: "per_unit", points: "25" } },
      ],
      mappings: [
        ...[0, 1, 2, 3].map((index) => ({
          platform: "shopify" as const,
          platformSku: `SKU-${index}`,
          platformVariantId: null,
          classId: "standard",
        })),
        { platform: "shopify", platformSku: null, platformVariantId: "variant-4", classId: "kits" },
      ],
    },
    upline,
    settings: { includeShipping: true, includeTax: true },
  };
}

export interface EngineMicroBenchResult {
  readonly evaluations: number;
  readonly elapsedMs: number;
  readonly evaluationsPerSecond: number;
  readonly commissionLinesPerEvaluation: number;
}

/** Evaluates the fixture repeatedly for about `durationMs` after a warm-up, and reports the rate. */
export function runEngineMicroBench(options: { durationMs?: number; warmupEvaluations?: number } = {}): EngineMicroBenchResult {
  const { durationMs = 1_000, warmupEvaluations = 2_000 } = options;
  const input = buildBenchInput();
  let lines = 0;
  for (let i = 0; i < warmupEvaluations; i++) lines = evaluate(input).lines.length;
  let evaluations = 0;
  const started = performance.now();
  let elapsedMs = 0;
  // Check the clock every 256 evaluations so timing does not dominate what is measured.
  while (elapsedMs < durationMs) {
    for (let i = 0; i < 256; i++) evaluate(input);
    evaluations += 256;
    elapsedMs = performance.now() - started;
  }
  return {
    evaluations,
    elapsedMs,
    evaluationsPerSecond: Math.round((evaluations * 1_000) / elapsedMs),
    commissionLinesPerEvaluation: lines,
  };
}
