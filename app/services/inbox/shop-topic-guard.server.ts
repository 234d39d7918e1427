import type { Db } from "~/db.server";
import { parseJsonLossless } from "~/domain/platforms/json";
import { checkShopClaim, decideShopRedact } from "~/domain/platforms/shopify-shop-claim";
import { logger } from "~/logger.server";
import { eraseUninstalledShop } from "~/services/shops.server";
import type { ClaimedEvent } from "./claim.server";
import type { ProcessOutcome } from "./process-event.server";

const REDACT_REFUSALS = {
  installed: "shop/redact for a shop that is installed (it never left, or came back): nothing erased",
  "session-present": "shop/redact for a shop that still has an offline session (it came back): nothing erased",
} as const;

/**
 * The Shopify topics that act on a whole shop (uninstall, compliance), checked again in the worker, where
 * the shop's state is known: the body must name the event's shop (rows stored before the ingest checked it),
 * and shop/redact erases only a shop that really left 48 hours ago (see decideShopRedact); an earlier one is
 * put off until then (the row stays pending, its lease set to that time), and a refused one is `ignored` with
 * the reason, never `processed`. Returns the outcome when this settles the event, null when processing goes on.
 */
export async function guardShopTopic(db: Db, event: ClaimedEvent): Promise<ProcessOutcome | null> {
  const shop = await db.shop.findUnique({ where: { id: event.shopId }, select: { domain: true, status: true, uninstalledAt: true } });
  if (!shop) return { outcome: "skipped", reason: "the shop is gone" };
  let body: unknown;
  try {
    body = parseJsonLossless(event.rawBody);
  } catch {
    body = undefined;
  }
  const claim = checkShopClaim(event.topic, shop.domain, body);
  if (!claim.ok) {
    const reason = `${event.topic} whose body names ${claim.bodyShop ?? "no shop"}, not ${shop.domain}: refused`;
    await settle(db, event, "rejected", reason);
    logger.warn({ event: event.id, shop: shop.domain, topic: event.topic, bodyShop: claim.bodyShop }, "refused a shop topic naming another shop");
    return { outcome: "refused", reason };
  }
  if (event.topic !== "shop/redact") return null;

  const sessions = await db.session.count({ where: { shop: shop.domain, isOnline: false } });
  const decision = decideShopRedact(shop, sessions > 0, new Date());
  if (decision.erase) {
    const erasure = await eraseUninstalledShop(db, event.shopId);
    // Erased: this inbox row went with the shop, so there is nothing left to mark; the log keeps the fact.
    if (erasure.erased) {
      logger.info({ shop: erasure.domain, event: event.id }, "shop/redact: every row of the uninstalled shop erased");
      return { outcome: "processed", kind: "recorded", detail: { erased: true } };
    }
    await settle(db, event, "ignored", REDACT_REFUSALS.installed);
    return { outcome: "refused", reason: REDACT_REFUSALS.installed };
  }
  if (decision.reason === "too-early") {
    const reason = `shop/redact put off until ${decision.until.toISOString()}, 48 hours after the uninstall (Shopify sends it then)`;
    await db.webhookEvent.updateMany({
      where: { id: event.id, shopId: event.shopId, status: "processing" },
      data: { status: "pending", leaseUntil: decision.until, lastError: reason },
    });
    logger.warn({ event: event.id, shop: shop.domain, until: decision.until }, "shop/redact came before 48 hours since the uninstall; put off");
    return { outcome: "deferred", until: decision.until };
  }
  await settle(db, event, "ignored", REDACT_REFUSALS[decision.reason]);
  logger.warn({ event: event.id, shop: shop.domain, reason: decision.reason }, "shop/redact refused");
  return { outcome: "refused", reason: REDACT_REFUSALS[decision.reason] };
}

async function settle(db: Db, event: ClaimedEvent, status: "rejected" | "ignored", reason: string) {
  await db.webhookEvent.updateMany({
    where: { id: event.id, shopId: event.shopId, status: "processing" },
    data: { status, lastError: reason, processedAt: new Date(), leaseUntil: null },
  });
  await db.auditLog.create({
    data: {
      shopId: event.shopId,
      actor: `${event.platform}:webhook`,
      action: `compliance.${event.topic}.${status}`,
      entityType: "WebhookEvent",
      entityId: event.id,
      reason,
    },
  });
}
