/**
 * POST /api/v1/backfills: import the shop's Shopify orders updated since a date through the Admin API (the same
 * job an install queues), answered 202 at once; the worker reads them (a bulk operation for large ranges) into
 * the inbox, where each order version is stored once whatever webhooks already delivered. The outcome is
 * recorded in the audit log (action shopify.orders_backfilled).
 */
import { z } from "zod";
import type { Queue } from "bullmq";
import type { Db } from "~/db.server";
import { instantText } from "~/domain/input-atoms";
import { storedProblem, type StoredResponse } from "~/services/api/idempotency.server";
import { validationProblem } from "~/services/http/problem.server";
import { enqueueOrderBackfill, INSTALL_BACKFILL_DAYS } from "~/services/shopify/admin-jobs.server";

export const backfillBodySchema = z.strictObject({
  platform: z.literal("shopify").default("shopify"),
  /** Orders updated at or after this instant; default 60 days ago (what Shopify lets an app read without read_all_orders). */
  since: instantText.optional(),
  /** auto: count first, a bulk operation above 250 orders; bulk or pages to force one. */
  mode: z.enum(["auto", "bulk", "pages"]).default("auto"),
});

export const backfillAcceptedSchema = z.object({
  job_id: z.string(),
  status: z.literal("queued"),
  platform: z.literal("shopify"),
  shop: z.string(),
  since: z.string(),
  mode: z.enum(["auto", "bulk", "pages"]),
});

export async function requestBackfill(db: Db, queue: Queue, shopId: string, body: unknown, now = new Date()): Promise<StoredResponse> {
  const parsed = backfillBodySchema.safeParse(body);
  if (!parsed.success) return storedProblem(validationProblem(422, parsed.error.issues, "The request has invalid or missing fields."));
  const since = parsed.data.since ? new Date(parsed.data.since) : new Date(now.getTime() - INSTALL_BACKFILL_DAYS * 24 * 3_600 * 1_000);
  if (since.getTime() > now.getTime()) {
    return storedProblem(validationProblem(422, [{ path: ["since"], message: "must not be in the future" }], "The request has invalid or missing fields."));
  }
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { domain: true, status: true } });
  const session = await db.session.findUnique({ where: { id: `offline_${shop.domain}` }, select: { id: true } });
  if (shop.status !== "active" || !session) {
    return storedProblem({
      status: 409,
      type: "not-installed",
      title: "Not installed",
      detail: `The app has no Admin API session for ${shop.domain}: install it (or open it once in the Shopify admin) before a backfill.`,
    });
  }
  const jobId = await enqueueOrderBackfill(queue, { shopDomain: shop.domain, since: since.toISOString(), mode: parsed.data.mode });
  return {
    status: 202,
    body: backfillAcceptedSchema.parse({
      job_id: String(jobId),
      status: "queued",
      platform: "shopify",
      shop: shop.domain,
      since: since.toISOString(),
      mode: parsed.data.mode,
    }),
  };
}
