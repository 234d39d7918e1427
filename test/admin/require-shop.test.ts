import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { startAppServer, type TestServer } from "../support/app-server";
import { embeddedUrl, storeOfflineSession } from "../support/admin-browser";

/**
 * Admin pages read the shop; only install and re-authentication write it (afterAuth). Each page is requested
 * the way Shopify's admin frames it (embedded, with a signed session token), and the Shop row's version
 * (PostgreSQL's xmin, which any UPDATE changes, even one that rewrites the same values) must not move.
 */
const SHOP = "require-shop.myshopify.com";
const NOT_INSTALLED = "never-installed.myshopify.com";
// Shopify's library turns away requests that look like bots; this is the desktop Chrome a merchant uses.
const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

async function shopVersion(domain: string): Promise<string | undefined> {
  const [row] = await db().$queryRaw<{ version: string }[]>`SELECT xmin::text AS version FROM "Shop" WHERE "domain" = ${domain}`;
  return row?.version;
}

describe("requireShop: the admin's shop guard", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startAppServer();
    await storeOfflineSession(SHOP); // the session and the Shop row an install leaves
    // A session without its Shop row: what no install leaves behind (afterAuth creates the row).
    await storeOfflineSession(NOT_INSTALLED);
    await db().shop.delete({ where: { domain: NOT_INSTALLED } });
  });

  afterAll(async () => {
    await server?.close();
  });

  it("serves every admin page without writing the Shop row", async () => {
    const before = await shopVersion(SHOP);
    expect(before).toBeDefined();
    for (const path of ["/app", "/app/distributors", "/app/periods", "/app/plans", "/app/events"]) {
      const response = await fetch(embeddedUrl(server.url, path, SHOP), { headers: { "User-Agent": CHROME } });
      expect(response.status, path).toBe(200);
      await response.text();
    }
    expect(await shopVersion(SHOP)).toBe(before);
  });

  it("refuses a session whose shop never installed (403), and does not create the row", async () => {
    const response = await fetch(embeddedUrl(server.url, "/app/periods", NOT_INSTALLED), { headers: { "User-Agent": CHROME } });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("has not finished installing");
    expect(await shopVersion(NOT_INSTALLED)).toBeUndefined();
  });
});
