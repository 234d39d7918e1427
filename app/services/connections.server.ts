import { randomBytes } from "node:crypto";
import type { Db } from "~/db.server";
import { normalizeCurrency } from "~/domain/money";
import { forgetConnection } from "./ingest/connection-cache.server";
import { setShopCurrency } from "./shop-currency.server";

export interface NewConnection {
  platform: "woocommerce" | "magento";
  name: string;
  baseUrl?: string;
  /** Generated when absent; shown to the merchant once, to paste into the store's webhook settings. */
  webhookSecret?: string;
  restConsumerKey?: string;
  restConsumerSecret?: string;
  publicKeysPem?: string[];
  /** The store's currency (ISO 4217); it becomes the shop's unless Shopify's shop data says otherwise. */
  currency?: string;
  settings?: { referralKeys?: string[]; paidStatuses?: string[] };
}

export async function createConnection(db: Db, shopId: string, input: NewConnection) {
  const webhookSecret = input.webhookSecret ?? `whsec_${randomBytes(24).toString("base64url")}`;
  const connection = await db.connection.create({
    data: {
      shopId,
      platform: input.platform,
      name: input.name,
      baseUrl: input.baseUrl ?? null,
      webhookSecret,
      restConsumerKey: input.restConsumerKey ?? null,
      restConsumerSecret: input.restConsumerSecret ?? null,
      publicKeysPem: input.publicKeysPem ?? [],
      currency: input.currency ? normalizeCurrency(input.currency) : null,
      settings: input.settings ?? {},
    },
    select: { id: true, platform: true, name: true, currency: true },
  });
  if (connection.currency) await setShopCurrency(db, shopId, connection.currency, "connection");
  return { ...connection, webhookSecret, ingestPath: `/ingest/${connection.platform}/${connection.id}` };
}

export async function setConnectionStatus(db: Db, shopId: string, connectionId: string, status: "active" | "disabled") {
  await db.connection.updateMany({ where: { id: connectionId, shopId }, data: { status } });
  forgetConnection(connectionId);
}

/** How long the secret before a rotation stays valid: time to paste the new one into the store. */
export const SECRET_GRACE_MS = 24 * 3_600_000;

/**
 * Gives the connection a new webhook secret; the old one is still accepted for `graceMs`, so deliveries the
 * store signs before the merchant pastes the new secret are not lost. Returns the new secret (shown once), or
 * null when the shop has no such connection.
 */
export async function rotateConnectionSecret(db: Db, shopId: string, connectionId: string, actor: string, now = new Date(), graceMs = SECRET_GRACE_MS) {
  const webhookSecret = `whsec_${randomBytes(24).toString("base64url")}`;
  const until = new Date(now.getTime() + graceMs);
  const rotated = await db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ webhookSecret: string }[]>`
      SELECT "webhookSecret" FROM "Connection" WHERE "id" = ${connectionId}::uuid AND "shopId" = ${shopId}::uuid FOR UPDATE`;
    if (!row) return false;
    await tx.connection.update({
      where: { id: connectionId },
      data: { webhookSecret, previousWebhookSecret: row.webhookSecret, previousSecretUntil: until },
    });
    // The audit row says when, never the secrets.
    await tx.auditLog.create({
      data: {
        shopId,
        actor,
        action: "connection.secret_rotated",
        entityType: "Connection",
        entityId: connectionId,
        after: { previousAcceptedUntil: until.toISOString() },
      },
    });
    return true;
  });
  forgetConnection(connectionId);
  return rotated ? { webhookSecret, previousAcceptedUntil: until } : null;
}
