-- Where the shop's currency came from: NULL while it is still the default (USD), so the first order may set it;
-- 'shopify' (shop/update) or 'connection' (given when a store was connected) are explicit and win.
ALTER TABLE "Shop" ADD COLUMN "currencySource" TEXT;
-- A WooCommerce / Magento store's currency, when the merchant gives it on connecting the store.
ALTER TABLE "Connection" ADD COLUMN "currency" TEXT;
