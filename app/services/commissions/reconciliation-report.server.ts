/**
 * GET /api/v1/reconciliation?date=YYYY-MM-DD and the stored ReconciliationReport: one day's reconciliation as
 * JSON, amounts as strings of minor units with their formatted decimal.
 */
import type { Db } from "~/db.server";
import type { Prisma } from "~/generated/prisma/client";
import type { DbOrTx } from "~/db/tx.server";
import { z } from "zod";
import { dayText } from "~/domain/input-atoms";
import { ProblemError, validationProblem } from "~/services/http/problem.server";
import { moneyJson } from "~/services/ledger/money-json.server";
import { reconciledDays } from "~/services/metrics/metrics.server";
import { payoutReconciliationJson } from "~/services/payouts/reconcile.server";
import { dayBounds, reconcileShopDay, type ShopDayReconciliation } from "./reconcile.server";

const money = z
  .object({
    amount_minor: z
      .string()
      .regex(/^-?\d+$/)
      .describe("Exact minor units, as a string."),
    amount: z.string().describe("The same amount as a decimal, for display."),
    currency: z.string().length(3),
  })
  .describe("Money: minor units as a string, never a float.");

/** The response of GET /api/v1/reconciliation (and the stored ReconciliationReport.report): documented in OpenAPI. */
export const reconciliationResponseSchema = z.object({
  date: z.string().describe("The UTC day reconciled, YYYY-MM-DD: the orders placed on it."),
  balanced: z.boolean().describe("True only when every total delta is 0 and every finding list below (but unowned volume of unattributed orders) is empty."),
  orders_compared: z.int(),
  totals: z
    .array(z.object({ currency: z.string(), expected: money, ledger: money, delta: money }))
    .describe(
      "Per currency: what the orders should net to in commissions (the plan, the platform's refunds, dropped money), what the ledger has, and ledger − expected.",
    ),
  items: z
    .array(
      z.object({
        order_id: z.uuid(),
        status: z
          .enum(["missing_in_ledger", "unexpected_in_ledger", "amount_mismatch", "dropped"])
          .describe("dropped: the plan owes it (see dropped_money) but it was never paid."),
        expected: money,
        ledger: money,
        delta: money,
      }),
    )
    .describe("Only the (order, currency) pairs whose delta is not 0."),
  replay_mismatches: z
    .array(z.object({ order_id: z.uuid(), stored_paid_minor: z.string(), replayed_paid_minor: z.string() }))
    .describe("Orders whose stored snapshot, replayed through today's engine, pays another total than stored."),
  unevaluated_order_ids: z.array(z.uuid()).describe("Paid orders of the day that have no commission record."),
  unapplied_refund_ids: z.array(z.uuid()).describe("Refunds of the day's evaluated orders with no reversal at all."),
  refund_gaps: z
    .array(
      z.object({
        order_id: z.uuid(),
        kind: z
          .enum(["missing", "rejected", "short", "excess", "not_fully_reversed"])
          .describe(
            "missing: the platform reported the refund (webhook or order payload) but nothing reversed it; rejected: its reversal was refused; short / excess: the reversal applied took back less / more than the refund replayed now; not_fully_reversed: the platform says the order is refunded in full or cancelled but commission is left.",
          ),
        refund_id: z.string().nullable().describe('The platform\'s refund id, "cancellation", or null for not_fully_reversed.'),
        platform_refunded: money.describe("Money the platform returned to the buyer (for not_fully_reversed: all its refunds of the order)."),
        expected_reversal: money.describe("What the refund should take back from commissions (negative)."),
        applied_reversal: money.describe("What the reversals applied took back (negative)."),
      }),
    )
    .describe("Per order, the platform's own refunds against the reversals applied."),
  dropped_money: z
    .array(
      z.object({
        order_id: z.uuid(),
        reason: z.literal("rate_currency_mismatch"),
        rule: z.string(),
        order_line_id: z.string(),
        level: z.int(),
        amount: money.describe("What the plan would have paid, in the plan amount's own currency (never converted)."),
      }),
    )
    .describe("Plan amounts the engine did not pay because their currency is not the order's; counted as expected, so the day's delta is not 0."),
  company_wallet: z
    .array(z.object({ distributor_id: z.uuid(), balance: money }))
    .describe(
      "The company node's wallet balances (pending + available) now, per currency, when not 0. The company node is never a payee: any balance is a finding.",
    ),
  unowned_volume: z
    .array(z.object({ order_id: z.uuid(), pv_hundredths: z.string(), cv_hundredths: z.string(), attributed: z.boolean() }))
    .describe(
      "Orders with volume nobody's personal volume counts. attributed=false (no referrer, no buying distributor) is information; attributed=true is a finding.",
    ),
  payouts: z
    .object({
      as_of: z.string(),
      balanced: z.boolean(),
      currencies: z.array(
        z.object({
          currency: z.string(),
          paid_items: z.number().int(),
          paid: money,
          settled: money,
          paid_delta: money,
          in_flight_items: z.number().int(),
          in_flight: money,
          clearing: money,
          in_flight_delta: money,
        }),
      ),
      mismatched_items: z.number().int(),
      mismatches: z.array(
        z.object({ item_id: z.string(), run_id: z.string(), status: z.string(), approved: z.boolean(), settled: z.boolean(), reversed: z.boolean() }),
      ),
    })
    .describe(
      "Payouts, cumulative as of the computation: paid items = what settled out of payouts_clearing; approved open items = the clearing balance; items whose ledger steps disagree with their status.",
    ),
});

export type ReconciliationJson = z.infer<typeof reconciliationResponseSchema>;
/** The name the OpenAPI document uses for it. */
export const reconciliationResponse = reconciliationResponseSchema;

export function reconciliationJson(report: ShopDayReconciliation): ReconciliationJson {
  return {
    date: report.day,
    balanced: report.balanced,
    orders_compared: report.ordersCompared,
    totals: report.totals.map((total) => ({
      currency: total.currency,
      expected: moneyJson(total.expectedMinor, total.currency),
      ledger: moneyJson(total.ledgerMinor, total.currency),
      delta: moneyJson(total.deltaMinor, total.currency),
    })),
    items: report.items.map((item) => ({
      order_id: item.orderId,
      status: item.status,
      expected: moneyJson(item.expectedMinor, item.currency),
      ledger: moneyJson(item.ledgerMinor, item.currency),
      delta: moneyJson(item.deltaMinor, item.currency),
    })),
    replay_mismatches: report.replayMismatches.map((mismatch) => ({
      order_id: mismatch.orderId,
      stored_paid_minor: mismatch.storedMinor.toString(),
      replayed_paid_minor: mismatch.replayedMinor.toString(),
    })),
    unevaluated_order_ids: [...report.unevaluatedOrderIds],
    unapplied_refund_ids: [...report.unappliedRefundIds],
    refund_gaps: report.refundGaps.map((gap) => ({
      order_id: gap.orderId,
      kind: gap.kind,
      refund_id: gap.refundKey,
      platform_refunded: moneyJson(gap.platformRefundedMinor, gap.currency),
      expected_reversal: moneyJson(gap.expectedReversalMinor, gap.currency),
      applied_reversal: moneyJson(gap.appliedReversalMinor, gap.currency),
    })),
    dropped_money: report.droppedMoney.map((dropped) => ({
      order_id: dropped.orderId,
      reason: dropped.reason,
      rule: dropped.rule,
      order_line_id: dropped.orderLineId,
      level: dropped.level,
      amount: moneyJson(dropped.amountMinor, dropped.currency),
    })),
    company_wallet: report.companyWallet.map((wallet) => ({ distributor_id: wallet.distributorId, balance: moneyJson(wallet.balanceMinor, wallet.currency) })),
    unowned_volume: report.unownedVolume.map((order) => ({
      order_id: order.orderId,
      pv_hundredths: order.pvHundredths.toString(),
      cv_hundredths: order.cvHundredths.toString(),
      attributed: order.attributed,
    })),
    payouts: payoutReconciliationJson(report.payouts),
  };
}

export const reconciliationQuery = z.object({ date: dayText });

/** The API: validates the date, reconciles live (never a stale stored report). */
export async function reconciliationForDate(client: DbOrTx, shopId: string, params: URLSearchParams): Promise<z.input<typeof reconciliationResponse>> {
  const query = reconciliationQuery.safeParse(Object.fromEntries(params));
  if (!query.success) throw new ProblemError(validationProblem(400, query.error.issues, "date must be a day as YYYY-MM-DD (1970–2199)."));
  return reconciliationJson(await reconcileShopDay(client, shopId, query.data.date));
}

/** The job: reconciles one (shop, day) and keeps the result, replacing the previous run's. */
export async function storeReconciliation(db: Db, shopId: string, day: string): Promise<ShopDayReconciliation> {
  const report = await reconcileShopDay(db, shopId, day);
  const json = reconciliationJson(report) as unknown as Prisma.InputJsonValue;
  const { from } = dayBounds(day);
  await db.reconciliationReport.upsert({
    where: { shopId_day: { shopId, day: from } },
    create: { shopId, day: from, balanced: report.balanced, report: json },
    update: { balanced: report.balanced, report: json, computedAt: new Date() },
  });
  reconciledDays.inc({ balanced: String(report.balanced) });
  return report;
}
