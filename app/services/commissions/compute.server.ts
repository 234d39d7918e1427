/**
 * The commission step after ingest, inside the order's ingest transaction: attribute the order, load the plan
 * version, the classes and the upline as of the order's timestamp, run the engine, store the calc snapshot and
 * post the commission transactions (pending).
 *
 * Computed ONCE per order, from the first version of it that is paid: later deliveries (the same webhook again,
 * orders/updated, an older version arriving late) find the Commission row and post nothing. What happens to
 * the money afterwards comes from refunds and cancellation, reversed against this snapshot.
 */
import {
  EngineInputError,
  evaluate,
  evaluationToJson,
  placementLevelsNeeded,
  type BuyerDistributor,
  type EvaluationResult,
  type PlacementUplineNode,
  type UplineNode,
} from "~/domain/engine";
import { buildCommissionTransactions } from "~/domain/ledger";
import { bigintReplacer } from "~/domain/money";
import type { OrderStatus } from "~/domain/platforms/normalized";
import type { RawSqlClient } from "~/db/raw-sql.server";
import type { Tx } from "~/db/tx.server";
import { placementUplineAt, uplineAt } from "~/services/genealogy/upline.server";
import type { Attribution } from "~/domain/attribution/attribution";
import { loadCommissionContext, type CommissionContext } from "./commission-context.server";
import { insertCommissionAndPost, type NewCommission } from "./commission-record.server";
import { loadOrderForCommission, type OrderForCommission } from "./order-input.server";
import { settleProvisionalSponsor } from "./provisional-sponsor.server";
import { deepestLevel } from "./plan.server";
import { applyCancellation, applyRecordedRefunds } from "./reversals.server";

/**
 * Statuses of an order that was paid. A refunded or partially refunded order was paid first (its paid
 * delivery may have been lost or overtaken): it is computed, and its refunds then reverse it.
 */
export const PAID_STATUSES: ReadonlySet<OrderStatus> = new Set(["paid", "partially_refunded", "refunded"]);

const DAY_MS = 86_400_000;

export type OrderCommissionResult =
  | { readonly action: "computed"; readonly commissionId: string; readonly transactions: number }
  | { readonly action: "already_computed" | "not_paid" | "cancelled" | "no_order" };

export async function processOrderCommission(tx: Tx, shopId: string, orderId: string): Promise<OrderCommissionResult> {
  const order = await loadOrderForCommission(tx, shopId, orderId);
  if (!order) return { action: "no_order" };
  if (order.status === "cancelled") {
    // Cancelled after it was computed: take everything back. Cancelled before: nothing was ever posted.
    if (order.computed) await applyCancellation(tx, shopId, orderId, order.platformUpdatedAt);
    return { action: "cancelled" };
  }
  if (!PAID_STATUSES.has(order.status)) return { action: "not_paid" };
  // A shortcut for the common replay; the unique (shop, order) key below is what guarantees "once".
  if (order.computed) return { action: "already_computed" };

  // A provisional buyer's first referred order records their new sponsor first (ADR 0008).
  const context = await settleProvisionalSponsor(tx, shopId, order, await loadCommissionContext(tx, shopId, order));
  const computed = await computeCommission(tx, shopId, order, context);
  const drafts = computed.evaluation ? buildCommissionTransactions({ shopId, evaluation: computed.evaluation }) : [];
  const { commissionId, transactions } = await insertCommissionAndPost(tx, computed.row, drafts);
  if (commissionId === null) return { action: "already_computed" };
  // Refunds recorded while the order was not paid yet (or not computed) are reversed now, in order.
  if (order.recordedRefunds > 0) await applyRecordedRefunds(tx, shopId, orderId);
  return { action: "computed", commissionId, transactions };
}

export interface ComputedCommission {
  readonly row: NewCommission;
  readonly evaluation: EvaluationResult | null;
}

/**
 * The order's Commission row and, when the engine ran, its evaluation; writes nothing. `sql` serves only the
 * chain lookups (raw SQL, so the worker's fast path can pass a plain pg connection): the sponsor upline always,
 * the placement upline only for a plan version with a forced matrix (one more query, nothing for any other plan).
 */
export async function computeCommission(sql: RawSqlClient, shopId: string, order: OrderForCommission, context: CommissionContext): Promise<ComputedCommission> {
  const { engineOrder, orderedAt } = order;
  const { settings, planVersion, catalog, attribution } = context;
  const base = {
    shopId,
    orderId: engineOrder.orderId,
    planVersionId: null,
    attributedDistributorId: attribution?.distributorId ?? null,
    attributionSource: attribution?.source ?? null,
    attributionCode: attribution?.code ?? null,
    attributionReason: context.attributionReason,
    currency: engineOrder.currency,
    orderedAt,
    paidMinor: 0n,
    breakageMinor: 0n,
    evaluation: null,
    error: null,
    heldUntil: new Date(orderedAt.getTime() + settings.refundWindowDays * DAY_MS),
  } satisfies Partial<NewCommission>;
  const notEvaluated = (outcome: NewCommission["outcome"], flag: string, error: string | null = null): ComputedCommission => ({
    row: { ...base, outcome, flagTypes: [flag], flagsJson: JSON.stringify([{ type: flag }]), error },
    evaluation: null,
  });

  if (!planVersion) return notEvaluated("no_plan", "no_plan_in_force");
  if (!catalog) return notEvaluated("no_catalog", "no_default_commission_class");
  const chainAt = chainInstant(attribution, orderedAt);
  const upline = attribution ? await chainFor(sql, shopId, attribution, chainAt, deepestLevel(planVersion.rules)) : [];
  const placementLevels = placementLevelsNeeded(planVersion.rules);
  const placementUpline = placementLevels > 0 ? await placementChainFor(sql, shopId, attribution, chainAt, placementLevels) : undefined;
  const buyer = buyerOf(attribution);

  let evaluation: EvaluationResult;
  try {
    evaluation = evaluate({
      order: engineOrder,
      planVersion,
      catalog,
      upline,
      settings,
      // Only when there is one, so an order with neither keeps the snapshot text it always had.
      ...(placementUpline ? { placementUpline } : {}),
      ...(buyer ? { buyer } : {}),
    });
  } catch (error) {
    // Data the engine refuses would fail again on every retry: record it with the order, post nothing.
    if (error instanceof EngineInputError) return notEvaluated("invalid_input", "engine_input_error", error.message);
    throw error;
  }
  return {
    row: {
      ...base,
      outcome: "evaluated",
      planVersionId: planVersion.id,
      paidMinor: evaluation.totals.paidMinor,
      breakageMinor: evaluation.totals.breakageMinor,
      flagTypes: [...new Set(evaluation.flags.map((flag) => flag.type))],
      flagsJson: JSON.stringify(evaluation.flags, bigintReplacer),
      evaluation: evaluationToJson(evaluation),
    },
    evaluation,
  };
}

/**
 * The instant the chain is read at: the order's, except when the order just set a provisional buyer's sponsor
 * from an instant after it (Shopify stamps customers and orders to the second, so a customer created with the
 * order enrolled in the same second, and the move starts a millisecond after the enrolment).
 */
function chainInstant(attribution: Attribution | null, orderedAt: Date): Date {
  const from = attribution?.sponsorChange?.effectiveFrom;
  return from && from.getTime() > orderedAt.getTime() ? from : orderedAt;
}

/** The engine's upline: from the attributed distributor, or from the sponsor of a buyer who is a distributor. */
async function chainFor(sql: RawSqlClient, shopId: string, attribution: Attribution, at: Date, levels: number): Promise<UplineNode[]> {
  if (!attribution.chainStartsAboveDistributor) return uplineAt(sql, shopId, attribution.distributorId, at, levels);
  // One more active node than needed in case the buyer is active; dropping the buyer leaves `levels` to fill.
  return (await uplineAt(sql, shopId, attribution.distributorId, at, levels + 1)).slice(1);
}

/**
 * The matrix's chain, from the same start as the sponsor chain (the engine's contract): the attributed
 * distributor's own slot, or a buying distributor's placement parent. Empty without an attribution, or when the
 * distributor had no place in the placement tree at the order's time: every matrix level is then breakage.
 */
async function placementChainFor(sql: RawSqlClient, shopId: string, attribution: Attribution | null, at: Date, levels: number): Promise<PlacementUplineNode[]> {
  if (!attribution) return [];
  if (!attribution.chainStartsAboveDistributor) return placementUplineAt(sql, shopId, attribution.distributorId, at, levels);
  return (await placementUplineAt(sql, shopId, attribution.distributorId, at, levels + 1)).slice(1);
}

/** A distributor's own order names them as the buyer: fast-start pays on a recruit's orders in their window. */
function buyerOf(attribution: Attribution | null): BuyerDistributor | null {
  if (!attribution?.chainStartsAboveDistributor) return null;
  return { distributorId: attribution.distributorId, enrolledAt: attribution.enrolledAt.toISOString() };
}
