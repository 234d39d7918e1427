import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { config } from "./config.server";
import { db } from "./db.server";
import { ensureShopifyShop } from "./services/shops.server";
import { logger } from "./logger.server";
import { enqueueInstallImports, shopifyAdminQueue } from "./services/shopify/admin-jobs.server";

/** The Shopify API version our webhooks (shopify.app.toml) and Admin API calls use: the current stable one. */
export const SHOPIFY_API_VERSION = ApiVersion.October26;

const settings = config();

const shopify = shopifyApp({
  apiKey: settings.SHOPIFY_API_KEY,
  apiSecretKey: settings.SHOPIFY_API_SECRET,
  apiVersion: SHOPIFY_API_VERSION,
  scopes: settings.SCOPES.split(","),
  appUrl: settings.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  // The session storage's types come from @prisma/client; ours is the same client generated to app/generated.
  sessionStorage: new PrismaSessionStorage(db() as never),
  distribution: AppDistribution.AppStore,
  // expiringOfflineAccessTokens: offline tokens live an hour and are refreshed by the library (required for public
  // apps created from 2026-04-01, and for every public app from 2027-01-01). The Session table keeps
  // refreshToken/refreshTokenExpires; background Admin API callers read the token via refreshedOfflineAccessToken.
  future: { unstable_newEmbeddedAuthStrategy: true, expiringOfflineAccessTokens: true },
  hooks: {
    // Every install gets its Shop row before the first admin page loads; reinstalling reactivates it.
    afterAuth: async ({ session }) => {
      await ensureShopifyShop(db(), session.shop);
      // The last 60 days of orders and the catalog, through the Admin API, on the worker (at most once a day
      // per shop: afterAuth also runs on re-authentication). Redis being away must not fail the install.
      await enqueueInstallImports(shopifyAdminQueue(), session.shop).catch((error: unknown) =>
        logger.warn({ shop: session.shop, err: error }, "could not queue the install backfill; POST /api/v1/backfills runs it on demand"),
      );
    },
  },
  ...(settings.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [settings.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export const apiVersion = SHOPIFY_API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
