/**
 * What-if (pure, writes nothing): a DRAFT plan version (unvalidated JSON), a set of orders with their
 * genealogy snapshots, and optionally a period, → the lines the draft would pay: per order (evaluate) and at
 * the period close (closePeriod), with the same code the real paths run. An invalid draft returns its issues,
 * named by field, instead of throwing.
 *
 * For the period, the orders placed inside [period.start, period.end) supply the personal volumes (the buyer's
 * when the buyer is a distributor, else the attributed distributor's), the per-order earnings and the sales
 * base; everything else the close needs (trees, carry, previous ranks) comes with `period`.
 */
import {
  evaluate,
  validatePlanRules,
  type BuyerDistributor,
  type CommissionCatalog,
  type EngineOrder,
  type EvaluationResult,
  type PlacementUplineNode,
  type PlanIssue,
  type PlanRules,
  type ShopCommissionSettings,
  type UplineNode,
} from "../engine";
import { closePeriod } from "./close";
import { PeriodOrderInputsBuilder } from "./order-inputs";
import type { PeriodCloseInput, PeriodCloseResult } from "./types";

export interface WhatIfOrder {
  readonly order: EngineOrder;
  readonly upline: readonly UplineNode[];
  readonly placementUpline?: readonly PlacementUplineNode[];
  readonly buyer?: BuyerDistributor | null;
  /** The order's attribution (the buyer when the buyer is a distributor), as the worker stores it with the commission. */
  readonly attributedDistributorId?: string | null;
}

export interface WhatIfInput {
  readonly draftRules: unknown;
  readonly catalog: CommissionCatalog;
  readonly settings: ShopCommissionSettings;
  readonly orders: readonly WhatIfOrder[];
  readonly period?: Pick<PeriodCloseInput, "period" | "currency" | "distributors"> &
    Partial<Pick<PeriodCloseInput, "volumeAdjustments" | "binaryCarry" | "previousRanks" | "deferredPayouts" | "clawbacks">>;
}

export type WhatIfResult =
  | { readonly ok: false; readonly issues: readonly PlanIssue[] }
  | {
      readonly ok: true;
      readonly rules: PlanRules;
      readonly orders: readonly EvaluationResult[];
      readonly period: PeriodCloseResult | null;
      readonly totals: { readonly perOrderMinor: bigint; readonly periodMinor: bigint };
    };

export const DRAFT_PLAN_VERSION_ID = "draft";

export function whatIf(input: WhatIfInput): WhatIfResult {
  const validation = validatePlanRules(input.draftRules);
  if (!validation.ok) return { ok: false, issues: validation.issues };
  const planVersion = { id: DRAFT_PLAN_VERSION_ID, version: 0, rules: validation.rules };

  const evaluated = input.orders.map((entry) => ({
    entry,
    evaluation: evaluate({
      order: entry.order,
      planVersion,
      catalog: input.catalog,
      upline: entry.upline,
      settings: input.settings,
      ...(entry.placementUpline ? { placementUpline: entry.placementUpline } : {}),
      ...(entry.buyer !== undefined ? { buyer: entry.buyer } : {}),
    }),
  }));
  const orders = evaluated.map(({ evaluation }) => evaluation);
  const perOrderMinor = orders.reduce((sum, evaluation) => sum + evaluation.totals.paidMinor, 0n);

  let period: PeriodCloseResult | null = null;
  if (input.period) {
    const { start, end } = input.period.period;
    // The same builder the real close feeds from stored commissions: same owners, earnings and sales base.
    const inputs = new PeriodOrderInputsBuilder(input.period.period, input.period.currency);
    for (const { entry, evaluation } of evaluated) {
      if (entry.order.orderedAt >= start && entry.order.orderedAt < end) inputs.addOrder(evaluation, entry.attributedDistributorId ?? null);
    }
    const orderInputs = inputs.build();
    period = closePeriod({
      period: input.period.period,
      planVersion,
      currency: input.period.currency,
      distributors: input.period.distributors,
      volumes: orderInputs.volumes,
      volumeAdjustments: input.period.volumeAdjustments ?? [],
      binaryCarry: input.period.binaryCarry ?? [],
      earnings: orderInputs.earnings,
      previousRanks: input.period.previousRanks ?? [],
      deferredPayouts: input.period.deferredPayouts ?? [],
      ...(input.period.clawbacks && input.period.clawbacks.length > 0 ? { clawbacks: input.period.clawbacks } : {}),
      ...(planVersion.rules.maxPayoutPercent !== undefined ? { salesBaseMinor: orderInputs.salesBaseMinor } : {}),
    });
  }
  const periodMinor = period ? period.lines.reduce((sum, line) => sum + line.amountMinor, 0n) : 0n;
  return { ok: true, rules: validation.rules, orders, period, totals: { perOrderMinor, periodMinor } };
}
