/**
 * /api/v1/connections: connect a WooCommerce or Magento store. createConnection generates the webhook secret;
 * the response is the only time it is shown (the list never returns it), with the ingest URL to paste into the
 * store's webhook settings.
 */
import { z } from "zod";
import type { Db } from "~/db.server";
import { config } from "~/config.server";
import { createConnection } from "~/services/connections.server";
import type { StoredResponse } from "./idempotency.server";
import { asStored, parseBody } from "./stored.server";

const text = (max: number) => z.string().trim().min(1).max(max);

export const connectionBody = z.strictObject({
  platform: z.enum(["woocommerce", "magento"]),
  name: text(200),
  /** The store's address (WooCommerce backfill reads its REST API there). */
  base_url: z
    .url({ protocol: /^https?$/ })
    .max(2_000)
    .optional(),
  /** ISO 4217; becomes the shop's currency unless Shopify's shop data says otherwise. */
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/)
    .optional(),
  /** WooCommerce REST credentials for the backfill that catches deliveries WooCommerce never retries. */
  rest_consumer_key: text(255).optional(),
  rest_consumer_secret: text(255).optional(),
  /** Adobe I/O Events public keys (PEM) for Magento's RSA-signed events. */
  public_keys_pem: z.array(z.string().min(1).max(10_000)).max(5).optional(),
  /** Order meta / attribute keys that carry the referral code, in priority order. */
  referral_keys: z.array(text(100)).max(10).optional(),
  /** Order statuses that count as paid. */
  paid_statuses: z.array(text(100)).max(20).optional(),
});

interface ConnectionRow {
  id: string;
  platform: string;
  name: string;
  status: string;
  baseUrl: string | null;
  currency: string | null;
  createdAt: Date;
  lastBackfillAt: Date | null;
}

const CONNECTION_SELECT = { id: true, platform: true, name: true, status: true, baseUrl: true, currency: true, createdAt: true, lastBackfillAt: true } as const;

/** Where the store must send its webhooks: the app's public URL when configured, else the address this request reached. */
function ingestUrl(path: string, requestUrl: string): string {
  return new URL(path, config().SHOPIFY_APP_URL ?? new URL(requestUrl).origin).toString();
}

function connectionJson(row: ConnectionRow, requestUrl: string) {
  const path = `/ingest/${row.platform}/${row.id}`;
  return {
    id: row.id,
    platform: row.platform,
    name: row.name,
    status: row.status,
    base_url: row.baseUrl,
    currency: row.currency,
    created_at: row.createdAt.toISOString(),
    last_backfill_at: row.lastBackfillAt?.toISOString() ?? null,
    ingest_path: path,
    ingest_url: ingestUrl(path, requestUrl),
  };
}

export async function listConnections(db: Db, shopId: string, requestUrl: string) {
  const rows = await db.connection.findMany({
    where: { shopId, platform: { in: ["woocommerce", "magento"] } },
    orderBy: { createdAt: "desc" },
    select: CONNECTION_SELECT,
  });
  return { items: rows.map((row) => connectionJson(row, requestUrl)) };
}

export function createConnectionRequest(db: Db, shopId: string, tokenId: string, body: unknown, requestUrl: string): Promise<StoredResponse> {
  return asStored(async () => {
    const input = parseBody(connectionBody, body, "The connection has invalid or missing fields.");
    const created = await createConnection(db, shopId, {
      platform: input.platform,
      name: input.name,
      ...(input.base_url ? { baseUrl: input.base_url } : {}),
      ...(input.currency ? { currency: input.currency } : {}),
      ...(input.rest_consumer_key ? { restConsumerKey: input.rest_consumer_key } : {}),
      ...(input.rest_consumer_secret ? { restConsumerSecret: input.rest_consumer_secret } : {}),
      ...(input.public_keys_pem ? { publicKeysPem: input.public_keys_pem } : {}),
      settings: {
        ...(input.referral_keys ? { referralKeys: input.referral_keys } : {}),
        ...(input.paid_statuses ? { paidStatuses: input.paid_statuses } : {}),
      },
    });
    const row = await db.connection.findFirstOrThrow({ where: { shopId, id: created.id }, select: CONNECTION_SELECT });
    // The audit row names the store, never its secrets.
    await db.auditLog.create({
      data: {
        shopId,
        actor: `api:${tokenId}`,
        action: "connection.created",
        entityType: "Connection",
        entityId: row.id,
        after: { platform: row.platform, name: row.name, baseUrl: row.baseUrl },
      },
    });
    return { status: 201, body: { connection: connectionJson(row, requestUrl), webhook_secret: created.webhookSecret } };
  });
}
