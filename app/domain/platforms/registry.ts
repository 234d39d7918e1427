/** The adapter for each webhook platform, for the ingest route (`/ingest/:platform`) and the worker. */
import type { PlatformAdapter } from "./adapter";
import { magentoAdapter } from "./magento";
import type { Platform } from "./normalized";
import { shopifyAdapter } from "./shopify";
import { wooCommerceAdapter } from "./woocommerce";

export type WebhookPlatform = Exclude<Platform, "api">;

export const platformAdapters: Readonly<Record<WebhookPlatform, PlatformAdapter>> = {
  shopify: shopifyAdapter,
  woocommerce: wooCommerceAdapter,
  magento: magentoAdapter,
};

/** The adapter for a route parameter, or null for a platform that sends no webhooks ("api") or none we know. */
export function adapterFor(platform: WebhookPlatform): PlatformAdapter;
export function adapterFor(platform: string): PlatformAdapter | null;
export function adapterFor(platform: string): PlatformAdapter | null {
  return Object.hasOwn(platformAdapters, platform) ? platformAdapters[platform as WebhookPlatform] : null;
}
