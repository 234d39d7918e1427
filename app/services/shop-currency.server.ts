/**
 * The shop's currency: what period bonuses, fixed amounts and minimum payouts are paid in, and what orders are
 * expected in. It comes, most trusted first, from Shopify's shop data (the `shop/update` webhook's `currency`),
 * from the currency the merchant gives when connecting a WooCommerce / Magento store, or else from the first
 * order the shop receives (a Shopify order's `currency` is the shop's; the buyer's is `presentment_currency`).
 * Until one of them speaks it is the default, USD, and `currencySource` is null.
 */
import { normalizeCurrency } from "~/domain/money";
import { NormalizationError } from "~/domain/platforms/normalized";
import type { Prisma } from "~/generated/prisma/client";

type Client = Pick<Prisma.TransactionClient, "$executeRaw">;
export type CurrencySource = "shopify" | "connection" | "first_order";

/** An explicit currency (Shopify's shop data, a connected store): it replaces whatever was there. */
export async function setShopCurrency(client: Client, shopId: string, currency: string, source: Exclude<CurrencySource, "first_order">) {
  const code = normalizeCurrency(currency);
  // A connected store never overrides Shopify's own shop data.
  await client.$executeRaw`
    UPDATE "Shop" SET "currency" = ${code}, "currencySource" = ${source}, "updatedAt" = now()
    WHERE "id" = ${shopId}::uuid AND (${source} = 'shopify' OR "currencySource" IS DISTINCT FROM 'shopify')`;
}

// Shops whose currency is settled, so the order path skips the statement after the first order of each.
const settled = new Set<string>();

/** The first order of a shop whose currency nobody gave: the order's currency becomes the shop's. */
export async function adoptFirstOrderCurrency(client: Client, shopId: string, currency: string) {
  if (settled.has(shopId)) return;
  await client.$executeRaw`
    UPDATE "Shop" SET "currency" = ${normalizeCurrency(currency)}, "currencySource" = 'first_order', "updatedAt" = now()
    WHERE "id" = ${shopId}::uuid AND "currencySource" IS NULL`;
  settled.add(shopId);
}

/** Shopify's shop/update body (the Shop resource): its `currency` is the shop's. */
export function shopUpdateCurrency(rawBody: string): string {
  let currency: unknown;
  try {
    currency = (JSON.parse(rawBody) as { currency?: unknown }).currency;
  } catch {
    throw new NormalizationError("(body)", "is not JSON");
  }
  if (typeof currency !== "string") throw new NormalizationError("currency", "is required");
  return normalizeCurrency(currency);
}
