/**
 * The two Shopify payload conventions every Shopify normalizer needs: ids that may only survive in
 * `admin_graphql_api_id`, and money that comes both as a plain string and as a `*_set` bag.
 */
import type { CurrencyCode } from "../money";
import type { Fields } from "./fields";

const GLOBAL_ID = /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)(?:\?.*)?$/;

/**
 * The numeric id as an exact string. `admin_graphql_api_id` wins: it is a string on the wire, so it is exact
 * even when someone upstream ran the body through JSON.parse and rounded the numeric `id`.
 */
export function shopifyId(fields: Fields, numericKey = "id"): string {
  const id = optionalShopifyId(fields, numericKey);
  if (id === null) fields.fail(numericKey, "is required");
  return id;
}

export function optionalShopifyId(fields: Fields, numericKey = "id"): string | null {
  const globalId = fields.optionalString("admin_graphql_api_id");
  if (globalId === null) return fields.optionalId(numericKey);
  const match = GLOBAL_ID.exec(globalId);
  if (!match?.[1]) fields.fail("admin_graphql_api_id", `"${globalId}" is not a Shopify global id`);
  return match[1];
}

/**
 * An amount in the shop currency: `<key>_set.shop_money` when present (it states its currency), else the
 * plain `<key>` field, which Shopify also expresses in the shop currency.
 */
export function shopMoney(fields: Fields, key: string, currency: CurrencyCode): bigint {
  const shopBag = shopMoneyBag(fields, key);
  if (shopBag === null) return fields.money(key, currency);
  const bagCurrency = shopBag.optionalString("currency_code") ?? shopBag.optionalString("currency");
  if (bagCurrency !== null && bagCurrency.toUpperCase() !== currency) {
    shopBag.fail("currency_code", `is ${bagCurrency}, but the shop currency is ${currency}`);
  }
  return shopBag.money("amount", currency);
}

/** The same, for amounts Shopify leaves out when they are zero. */
export function optionalShopMoney(fields: Fields, key: string, currency: CurrencyCode): bigint {
  return fields.has(`${key}_set`) || fields.has(key) ? shopMoney(fields, key, currency) : 0n;
}

/** The currency a `<key>_set.shop_money` bag states, for payloads with no top-level currency (refunds). */
export function shopMoneyCurrency(fields: Fields, key: string): string | null {
  const shopBag = shopMoneyBag(fields, key);
  return shopBag?.optionalString("currency_code") ?? shopBag?.optionalString("currency") ?? null;
}

function shopMoneyBag(fields: Fields, key: string): Fields | null {
  return fields.optionalObject(`${key}_set`)?.optionalObject("shop_money") ?? null;
}
