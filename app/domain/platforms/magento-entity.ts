/**
 * Magento payloads reach us in four wrappings of the same REST-shaped entity: bare (REST backfill), inside our
 * Magento module's envelope (`{event, event_id, data}`, see extensions/magento-module/README.md), inside an
 * Adobe I/O Events envelope (`data.value`), or inside an Adobe Commerce webhook (`data.<entity>`). Field paths in errors keep the wrapping, so they point at the real place.
 */
import { parsedPayload } from "./adapter";
import { Fields } from "./fields";
import { valuesForKeys } from "./referrals";

export const MAGENTO_DEFAULT_REFERRAL_KEYS: readonly string[] = ["upline_ref"];

export function magentoEntity(body: unknown, webhookDataKey: "order" | "creditmemo" | "customer"): Fields {
  const root = Fields.of(parsedPayload(body));
  const data = root.optionalObject("data");
  if (data?.has("value")) return data.object("value");
  if (data?.has(webhookDataKey)) return data.object(webhookDataKey);
  if (data && root.optionalString("event") !== null) return data;
  return root;
}

/**
 * Referral codes from `extension_attributes` (REST, where our module adds the attribute) and then
 * `custom_attributes` (what Adobe I/O event payloads carry), in key priority order.
 */
export function attributeValues(entity: Fields, keys: readonly string[]): string[] {
  const extension = entity.optionalObject("extension_attributes");
  const extensionEntries = extension ? Object.entries(extension.value).map(([key, value]) => ({ key, value })) : [];
  const customEntries = entity
    .optionalObjects("custom_attributes")
    .map((attribute) => ({ key: attribute.optionalString("attribute_code") ?? "", value: attribute.raw("value") }));
  return [...valuesForKeys(extensionEntries, keys), ...valuesForKeys(customEntries, keys)];
}

/** Configurable and bundle children name their parent; only top-level items carry the sold amount. */
export function isChildItem(item: Fields): boolean {
  const parentId = item.optionalId("parent_item_id") ?? item.optionalObject("order_item")?.optionalId("parent_item_id");
  return parentId !== null && parentId !== undefined && parentId !== "0";
}
