/**
 * The Web Pixel's checkout report (extensions/referral-pixel): "order N was bought with referral code C in this
 * browser". It is the only carrier of a referral for checkouts that skip the cart (Buy it now, accelerated
 * checkouts), and it is unsigned: anyone can post one. So it is only a hint:
 *
 * - recording it creates no order, no commission and no money: one PixelSignal row (the first per order counts);
 * - an order is only ever an order Shopify delivered by webhook; when it is computed, the report is the LAST
 *   attribution rule (after the order's own cart attribute and coupons) and never applies to a buyer who is a
 *   distributor, so it cannot move a sponsor (app/domain/attribution);
 * - when the order was already computed before the report arrived (the webhook won the race) and went to nobody,
 *   with nothing posted, reversed or closed on it, the worker computes it again with the report
 *   (reconcilePixelSignal). An order already attributed, or with money on it, is never touched.
 */
import { z } from "zod";
import type { Db } from "~/db.server";
import { inTransaction } from "~/db/tx.server";
import { normalizeReferralCode } from "~/domain/genealogy/referral-code";
import { logger } from "~/logger.server";
import { ONE_OFF_JOBS, type Queues } from "~/queues.server";
import { processOrderCommission } from "~/services/commissions/compute.server";
import { problem, validationProblem } from "~/services/http/problem.server";
import { readBodyWithLimit, type IncomingBody } from "~/services/http/read-body.server";
import { shopIdForDomain } from "~/services/ingest/shop-cache.server";
import { lockOrderKey } from "~/services/orders/order-lock.server";

/** A report is a few hundred bytes; anything near this is not one. */
const MAX_BODY_BYTES = 4_096;

/** The pixel runs in Shopify's sandbox on the shop's storefront origin: any origin may post, no credentials. */
export const PIXEL_CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "POST, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type",
  "Access-Control-Max-Age": "86400",
} as const;

const orderId = z
  .string()
  .trim()
  .regex(/^(gid:\/\/shopify\/Order\/)?\d{1,20}$/, "a Shopify order id (digits or gid://shopify/Order/…)")
  .transform((id) => id.replace(/^gid:\/\/shopify\/Order\//, ""));

export const pixelReportSchema = z.object({
  shop: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "a myshopify.com domain"),
  order_id: orderId,
  code: z.string().transform((code, context) => {
    const normalized = normalizeReferralCode(code);
    if (normalized === null) context.addIssue({ code: "custom", message: "not a referral code" });
    return normalized ?? "";
  }),
});

export interface PixelDeps {
  readonly db: Db;
  readonly queues: Queues;
}

/** POST /pixel/shopify: 202 when stored (or already stored), 4xx problem+json otherwise. Never enqueues money. */
export async function recordPixelReport(request: IncomingBody, deps: PixelDeps): Promise<Response> {
  const raw = await readBodyWithLimit(request, MAX_BODY_BYTES);
  let json: unknown;
  try {
    json = JSON.parse(raw.toString("utf8"));
  } catch {
    return problem({ status: 400, type: "malformed-json", title: "Malformed JSON", detail: "The body is not JSON." }, PIXEL_CORS_HEADERS);
  }
  const parsed = pixelReportSchema.safeParse(json);
  if (!parsed.success) return problem(validationProblem(422, parsed.error.issues, "The pixel report is invalid."), PIXEL_CORS_HEADERS);
  const report = parsed.data;
  const shopId = await shopIdForDomain(deps.db, report.shop);
  if (!shopId)
    return problem({ status: 404, type: "unknown-shop", title: "Unknown shop", detail: `${report.shop} has not installed the app.` }, PIXEL_CORS_HEADERS);

  const [stored] = await deps.db.$queryRaw<{ id: string }[]>`
    INSERT INTO "PixelSignal" ("shopId", "platformOrderId", "code")
    VALUES (${shopId}::uuid, ${report.order_id}, ${report.code})
    ON CONFLICT ("shopId", "platformOrderId") DO NOTHING
    RETURNING "id"`;
  if (stored) {
    // Only needed when the order was computed first; when Redis is away the report still counts for an order
    // computed after it, so the request does not fail for it.
    await deps.queues.maintenance
      .add(
        ONE_OFF_JOBS.reconcilePixelSignal,
        { shopId, signalId: stored.id },
        { jobId: `pixel-${stored.id}`, attempts: 5, backoff: { type: "exponential", delay: 1_000 } },
      )
      .catch((error: unknown) => logger.warn({ err: error, signalId: stored.id }, "pixel report stored but not queued"));
  }
  return new Response(null, { status: 202, headers: PIXEL_CORS_HEADERS });
}

export type PixelReconciliation =
  | { readonly outcome: "waiting_for_order" | "waiting_for_payment" | "already_decided" | "no_signal" }
  | { readonly outcome: "ignored"; readonly reason: string }
  | { readonly outcome: "reattributed"; readonly distributorId: string | null; readonly source: string | null };

/** The worker's side: settle one report against the order Shopify delivered with that id, if any. */
export function reconcilePixelSignal(db: Db, shopId: string, signalId: string): Promise<PixelReconciliation> {
  return inTransaction(db, async (tx) => {
    const signal = await tx.pixelSignal.findFirst({ where: { shopId, id: signalId } });
    if (!signal) return { outcome: "no_signal" };
    if (signal.outcome !== null) return { outcome: "already_decided" };
    // The same per-order lock the worker stores and computes orders under.
    await lockOrderKey(tx, shopId, "shopify", signal.platformOrderId);
    const order = await tx.order.findFirst({
      where: { shopId, platform: "shopify", platformOrderId: signal.platformOrderId },
      select: { id: true, orderedAt: true },
    });
    // No delivered order: nothing to do, and nothing is created. If Shopify delivers it later, its computation
    // reads the report itself.
    if (!order) return { outcome: "waiting_for_order" };
    const commission = await tx.commission.findFirst({ where: { shopId, orderId: order.id } });
    if (!commission) return { outcome: "waiting_for_payment" };

    const decide = async (outcome: string) => {
      await tx.pixelSignal.update({ where: { id: signal.id }, data: { outcome, decidedAt: new Date() } });
    };
    const blocker = await reattributionBlocker(tx, shopId, order, commission);
    if (blocker) {
      await decide(`ignored: ${blocker}`);
      return { outcome: "ignored", reason: blocker };
    }
    // Computed to nobody with nothing posted: compute it again, now with the report among the candidates.
    await tx.commission.delete({ where: { id: commission.id } });
    await processOrderCommission(tx, shopId, order.id);
    const again = await tx.commission.findFirstOrThrow({
      where: { shopId, orderId: order.id },
      select: { attributedDistributorId: true, attributionSource: true },
    });
    await decide(again.attributionSource === "web_pixel" ? "reattributed" : `ignored: ${again.attributionSource ?? "no distributor has the reported code"}`);
    await tx.auditLog.create({
      data: {
        shopId,
        actor: "attribution:web-pixel",
        action: "order.reattributed_by_pixel",
        entityType: "Order",
        entityId: order.id,
        before: { attributedDistributorId: null, attributionReason: commission.attributionReason },
        after: { attributedDistributorId: again.attributedDistributorId, attributionSource: again.attributionSource },
      },
    });
    return { outcome: "reattributed", distributorId: again.attributedDistributorId, source: again.attributionSource };
  });
}

/** Why a computed order must keep its commission as it is, or null when it may be computed again. */
async function reattributionBlocker(
  tx: Parameters<Parameters<typeof inTransaction>[1]>[0],
  shopId: string,
  order: { id: string; orderedAt: Date },
  commission: { id: string; attributedDistributorId: string | null; attributionSource: string | null },
): Promise<string | null> {
  if (commission.attributedDistributorId !== null) return `the order was attributed by ${commission.attributionSource ?? "another rule"}`;
  const [posted, reversals, closed] = await Promise.all([
    tx.ledgerTransaction.count({ where: { shopId, orderId: order.id } }),
    tx.commissionReversal.count({ where: { shopId, commissionId: commission.id } }),
    tx.commissionPeriod.count({ where: { shopId, status: { not: "open" }, startsAt: { lte: order.orderedAt }, endsAt: { gt: order.orderedAt } } }),
  ]);
  if (posted > 0) return "money was already posted for the order";
  if (reversals > 0) return "the order was already refunded or cancelled";
  if (closed > 0) return "the order's commission period is closed";
  return null;
}
