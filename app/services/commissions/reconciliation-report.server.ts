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
import { moneyJson, moneySchema } from "~/services/ledger/money-json.server";
import { dayJson, idJson } from "~/services/api/response-atoms";
import { dayBounds, reconcileShopDay, type ShopDayReconciliation } from "./reconcile.server";

const minorJson = z.string().regex(/^-?\d+$/);

/** One day: expected commissions (recomputed from snapshots) against the ledger, any delta itemized. */
export const reconciliationResponse = z.strictObject({
  date: dayJson,
  balanced: z.boolean(),
  orders_compared: z.int().min(0),
  totals: z.array(z.strictObject({ currency: z.string(), expected: moneySchema, ledger: moneySchema, delta: moneySchema })),
  items: z.array(z.strictObject({ order_id: idJson, status: z.string(), expected: moneySchema, ledger: moneySchema, delta: moneySchema })),
  replay_mismatches: z.array(z.strictObject({ order_id: idJson, stored_paid_minor: minorJson, replayed_paid_minor: minorJson })),
  unevaluated_order_ids: z.array(idJson),
  unapplied_refund_ids: z.array(idJson),
});

export function reconciliationJson(report: ShopDayReconciliation): z.input<typeof reconciliationResponse> {
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
  return report;
}
