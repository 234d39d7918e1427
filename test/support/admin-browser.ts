import { createHmac, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContext } from "playwright-core";
import { Session } from "@shopify/shopify-app-remix/server";

/**
 * Real Chromium against the real app, as an embedded admin page is loaded inside Shopify's admin: with the
 * `shop`, `host`, `embedded=1` and `id_token` (a session token signed with the app's secret) parameters, and
 * an offline session stored the way OAuth stores it. Only Shopify's own servers are stood in for: the CDN
 * (App Bridge, fonts) cannot be reached from here, so its requests get a stub.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not at ${CHROMIUM_PATH}: install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

/** A context whose requests to Shopify's CDN are answered locally; everything else goes to the app. */
export async function adminContext(browser: Browser): Promise<BrowserContext> {
  // Headless Chromium says "HeadlessChrome", which Shopify's library turns away as a bot (410): present as the
  // desktop Chrome a merchant uses.
  const userAgent = (
    await browser.newPage().then(async (page) => {
      const agent = await page.evaluate(() => navigator.userAgent);
      await page.close();
      return agent;
    })
  ).replace("HeadlessChrome", "Chrome");
  const context = await browser.newContext({ userAgent });
  await context.route("https://cdn.shopify.com/**", (route) =>
    route.request().url().endsWith(".js")
      ? route.fulfill({ contentType: "text/javascript", body: "window.shopify = window.shopify || {};" })
      : route.fulfill({ status: 204, body: "" }),
  );
  return context;
}

/**
 * What an install leaves behind: the app's offline session for the shop, as OAuth stores it, and the shop's row,
 * as the afterAuth hook (app/shopify.server.ts) creates it. Admin pages only read that row (requireShop).
 */
export async function storeOfflineSession(shopDomain: string): Promise<void> {
  const [{ sessionStorage }, { db }, { ensureShopifyShop }] = await Promise.all([
    import("~/shopify.server"),
    import("~/db.server"),
    import("~/services/shops.server"),
  ]);
  await ensureShopifyShop(db(), shopDomain);
  const session = new Session({
    id: `offline_${shopDomain}`,
    shop: shopDomain,
    state: "installed",
    isOnline: false,
    accessToken: `shpat_test_${randomUUID()}`,
    scope: process.env.SCOPES ?? "",
  });
  await sessionStorage.storeSession(session);
}

/** A Shopify session token (HS256 JWT signed with the app's API secret), as App Bridge would hand the page. */
export function sessionToken(shopDomain: string, lifetimeSeconds = 3_600): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const header = encode({ alg: "HS256", typ: "JWT" });
  const payload = encode({
    iss: `https://${shopDomain}/admin`,
    dest: `https://${shopDomain}`,
    aud: process.env.SHOPIFY_API_KEY,
    sub: "1",
    exp: now + lifetimeSeconds,
    nbf: now - 5,
    iat: now,
    jti: randomUUID(),
    sid: randomUUID(),
  });
  const signature = createHmac("sha256", process.env.SHOPIFY_API_SECRET ?? "")
    .update(`${header}.${payload}`)
    .digest("base64url");
  return `${header}.${payload}.${signature}`;
}

/** The URL Shopify's admin frames for an app page. */
export function embeddedUrl(appUrl: string, path: string, shopDomain: string): string {
  const url = new URL(path, appUrl);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", shopDomain);
  url.searchParams.set("host", Buffer.from(`admin.shopify.com/store/${shopDomain.replace(".myshopify.com", "")}`).toString("base64url"));
  url.searchParams.set("id_token", sessionToken(shopDomain));
  return url.toString();
}
