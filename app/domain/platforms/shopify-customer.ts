/**
 * Shopify customers/create and customers/update → NormalizedCustomer.
 *
 * Where a sign-up referral code can be, most deliberate first:
 *  1. a metafield whose key is a referral key (present only when the subscription asks for metafields;
 *     our join flow writes one);
 *  2. a tag `ref:CODE` / `upline_ref:CODE` (merchants and import tools can set tags, and tags are always in
 *     the payload);
 *  3. a line of the customer note reading `ref: CODE` or `ref=CODE`.
 * Codes taken from tags and notes must look like codes, so prose such as "ref: see email" never matches.
 */
import { parsedPayload, type NormalizeOptions } from "./adapter";
import { Fields } from "./fields";
import type { NormalizedCustomer } from "./normalized";
import { codeFromLabelledText, valuesForKeys } from "./referrals";
import { shopifyId } from "./shopify-fields";
import { SHOPIFY_DEFAULT_REFERRAL_KEYS } from "./shopify-order";
import { timestampOrDelivery } from "./timestamps";
import { refuseForeignResource } from "./resource-shape";

export function normalizeShopifyCustomer(body: unknown, options: NormalizeOptions = {}): NormalizedCustomer {
  const customer = Fields.of(parsedPayload(body));
  refuseForeignResource(customer, "customer", ["line_items", "refund_line_items", "order_id", "financial_status"]);
  return {
    kind: "customer",
    platform: "shopify",
    platformCustomerId: shopifyId(customer),
    email: customer.optionalString("email"),
    firstName: customer.optionalString("first_name"),
    lastName: customer.optionalString("last_name"),
    referralCode: referralCode(customer, options.referralKeys ?? SHOPIFY_DEFAULT_REFERRAL_KEYS),
    createdAt: timestampOrDelivery(customer, ["created_at"], options.deliveredAt),
  };
}

function referralCode(customer: Fields, keys: readonly string[]): string | null {
  const metafields = customer.optionalObjects("metafields").map((metafield) => ({ key: metafield.optionalString("key") ?? "", value: metafield.raw("value") }));
  const tags = (customer.optionalString("tags") ?? "").split(",");
  const noteLines = (customer.optionalString("note") ?? "").split(/\r?\n/);
  return valuesForKeys(metafields, keys)[0] ?? codeFromLabelledText(tags, keys) ?? codeFromLabelledText(noteLines, keys);
}
