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
