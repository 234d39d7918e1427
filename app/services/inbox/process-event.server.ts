import { applyScopesUpdate } from "~/services/shopify/scopes-update.server";
import type pg from "pg";
import type { Db } from "~/db.server";
import { adapterFor } from "~/domain/platforms/registry";
import { NormalizationError, type NormalizedEvent } from "~/domain/platforms/normalized";
import type { NormalizeOptions } from "~/domain/platforms/adapter";
import { toJson } from "~/services/orders/store-order.server";
import { recordPayloadRefunds, refundOrderFacts, refundsInOrderPayload, storeRefund } from "~/services/orders/store-refund.server";
import { normalizeOptionsFrom } from "./normalize-options.server";
import { claimInboxEvent } from "./claim.server";
import { isTransientFailure } from "./transient-failure.server";
import { INVALID_PAYLOAD_PREFIX } from "~/domain/inbox/replay-rule";
import { applyOrder, applyOrderFast } from "./apply-order.server";
import { afterRefundRecorded } from "~/services/commissions/hooks.server";
import { markShopUninstalled } from "~/services/shops.server";
import { guardShopTopic } from "./shop-topic-guard.server";
import { topicNamesShop } from "~/domain/platforms/shopify-shop-claim";
import { normalizeApiEvent } from "~/services/api/order-refunds.server";
import { adoptFirstOrderCurrency, setShopCurrency, shopUpdateCurrency } from "~/services/shop-currency.server";
import { enrollCustomer } from "~/services/genealogy/enroll-customer.server";
import { handleComplianceWebhook } from "~/services/genealogy/data-subject.server";
import { applyCatalogDelivery } from "~/services/shopify/catalog-delivery.server";

export type ProcessOutcome =
  | { outcome: "skipped"; reason: string }
  | { outcome: "refused"; reason: string }
  | { outcome: "deferred"; until: Date }
  | { outcome: "processed"; kind: NormalizedEvent["kind"] | "recorded"; detail?: Record<string, unknown> }
  | { outcome: "invalid"; error: string };

/**
 * Normalizes one inbox row and applies it in ONE transaction with the row's `processed` mark, so a crash
 * anywhere leaves either nothing or everything. Invalid payloads are marked dead at once (retrying cannot fix
 * them); other errors are recorded and rethrown for BullMQ to retry.
 */
export async function processInboxEvent(db: Db, pool: pg.Pool, eventId: string, shopId: string, options: { leaseMs?: number } = {}): Promise<ProcessOutcome> {
  const event = await claimInboxEvent(pool, eventId, shopId, options.leaseMs);
  if (!event) return { outcome: "skipped", reason: "done, or claimed by another attempt" };

  const adapter = event.platform === "api" ? null : adapterFor(event.platform);
  const topicClass = adapter ? adapter.classifyTopic(event.topic) : "order";
  let normalized: NormalizedEvent | null;
  let shopCurrency: string | null = null;
  try {
    if (event.platform === "shopify" && event.topic === "shop/update") shopCurrency = shopUpdateCurrency(event.rawBody);
    if (adapter) {
      const options: NormalizeOptions = normalizeOptionsFrom(event.sourceSettings, event.receivedAt);
      normalized = adapter.normalize(event.topic, event.rawBody, options);
      // A refund does not say whether its order's prices included tax; the stored order does.
      const order = normalized?.kind === "refund" ? await refundOrderFacts(db, event.shopId, normalized) : null;
      if (order?.taxesIncluded) normalized = adapter.normalize(event.topic, event.rawBody, { ...options, ...order });
    } else {
      normalized = await normalizeApiEvent(db, event);
    }
  } catch (error) {
    if (!(error instanceof NormalizationError)) throw error;
    await db.webhookEvent.update({
      where: { id: event.id },
      data: { status: "dead", lastError: `${INVALID_PAYLOAD_PREFIX} ${error.message}` },
    });
    return { outcome: "invalid", error: error.message };
  }

  if (event.platform === "shopify" && topicNamesShop(event.topic)) {
    const guarded = await guardShopTopic(db, event);
    if (guarded) return guarded;
  }

  if (normalized?.kind === "order") await adoptFirstOrderCurrency(db, event.shopId, normalized.currency);
  const payloadRefunds = normalized?.kind === "order" ? await refundsInOrderPayload(db, event, normalized) : [];
  if (normalized?.kind === "order" && payloadRefunds.length === 0) {
    const applied = await applyOrderFast(pool, event, normalized);
    if (applied) return { outcome: "processed", kind: "order", detail: { ...applied, applied: true } };
  }

  return db.$transaction(async (tx) => {
    let result: ProcessOutcome;
    let catalog: Record<string, unknown> | null = null;
    let scopes: { scopes: string; sessions: number } | null = null;
    if (normalized?.kind === "order") {
      const stored = await applyOrder(tx, event, normalized);
      await recordPayloadRefunds(tx, event.shopId, payloadRefunds, event.id, (refundId) => afterRefundRecorded(tx, event.shopId, refundId));
      result = { outcome: "processed", kind: "order", detail: { ...stored } };
    } else if (normalized?.kind === "refund") {
      const stored = await storeRefund(tx, event.shopId, normalized, event.id);
      if (stored.refundId && !stored.parked) await afterRefundRecorded(tx, event.shopId, stored.refundId);
      result = { outcome: "processed", kind: "refund", detail: { ...stored } };
    } else if (normalized?.kind === "customer") {
      const enrollment = await enrollCustomer(tx, event.shopId, normalized);
      result = { outcome: "processed", kind: "customer", detail: { ...enrollment } };
    } else {
      if (event.platform === "shopify" && event.topic === "app/uninstalled") await markShopUninstalled(tx, event.shopId);
      catalog = event.platform === "shopify" && topicClass === "product" ? await applyCatalogDelivery(tx, event.shopId, event.topic, event.rawBody) : null;
      if (shopCurrency !== null) await setShopCurrency(tx, event.shopId, shopCurrency, "shopify");
      scopes = event.platform === "shopify" && event.topic === "app/scopes_update" ? await applyScopesUpdate(tx, event.shopId, event.rawBody) : null;
      let detail: Record<string, unknown> | undefined = scopes ? { ...scopes } : undefined;
      if (topicClass === "compliance") {
        // Recorded for the operator: data requests and redactions must be answered within 30 days.
        await tx.auditLog.create({
          data: {
            shopId: event.shopId,
            actor: `${event.platform}:webhook`,
            action: `compliance.${event.topic}`,
            entityType: "WebhookEvent",
            entityId: event.id,
          },
        });
        // customers/data_request stores an export, customers/redact redacts (distributors and their orders).
        detail = await handleComplianceWebhook(tx, event.shopId, event);
      }
      if (catalog) detail = { ...detail, ...catalog };
      result = { outcome: "processed", kind: "recorded", ...(detail ? { detail } : {}) };
    }
    const handled =
      normalized !== null || topicClass === "compliance" || event.topic === "app/uninstalled" || shopCurrency !== null || catalog !== null || scopes !== null;
    await tx.webhookEvent.update({
      where: { id: event.id },
      data: {
        status: handled ? "processed" : "ignored",
        normalized: normalized ? toJson(normalized) : undefined,
        processedAt: new Date(),
        lastError: null,
      },
    });
    return result;
  });
}

/**
 * Records a failed attempt and ends its lease, so the retry may claim the row at once. The last allowed attempt
 * marks the event dead, visible to the merchant for replay, unless the failure was the database or network
 * being away: that says nothing about the event, so it stays `failed` and the sweeper hands it on again.
 */
export async function recordFailedAttempt(db: Db, eventId: string, shopId: string, error: unknown, finalAttempt: boolean) {
  // The stack, not only the message: the inbox row is where an operator looks first when an event goes dead.
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  await db.webhookEvent.updateMany({
    where: { id: eventId, shopId, status: "processing" },
    data: { status: finalAttempt && !isTransientFailure(error) ? "dead" : "failed", lastError: message.slice(0, 8_000), leaseUntil: null },
  });
}
