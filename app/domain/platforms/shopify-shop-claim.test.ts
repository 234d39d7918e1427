import { describe, expect, it } from "vitest";
import { fixtureText } from "~test/support/platforms/fixtures";
import { bodyShopDomain, checkShopClaim, decideShopRedact, SHOP_REDACT_AFTER_UNINSTALL_MS } from "./shopify-shop-claim";

const SHOP = "upline-test.myshopify.com";
const fixture = (name: string, domain: string) => JSON.parse(fixtureText("shopify", name).replaceAll("{shop}.myshopify.com", domain)) as unknown;

describe("checkShopClaim", () => {
  it("reads the shop from Shopify's compliance payloads and the uninstall's shop resource", () => {
    for (const name of ["shop_redact.shopify-dev.json", "customers_redact.shopify-dev.json", "customers_data_request.shopify-dev.json"]) {
      expect(bodyShopDomain(fixture(name, SHOP))).toBe(SHOP);
    }
    expect(bodyShopDomain({ id: 1, domain: "shop.example.com", myshopify_domain: SHOP })).toBe(SHOP);
  });

  it("lets a body that names the header's shop through, case aside", () => {
    expect(checkShopClaim("shop/redact", "Upline-Test.myshopify.com", fixture("shop_redact.shopify-dev.json", SHOP))).toEqual({ ok: true });
    expect(checkShopClaim("app/uninstalled", SHOP, { myshopify_domain: SHOP })).toEqual({ ok: true });
  });

  it("refuses a body naming another shop, or none, for the topics that act on a shop", () => {
    const other = fixture("customers_redact.shopify-dev.json", "victim.myshopify.com");
    expect(checkShopClaim("customers/redact", SHOP, other)).toEqual({ ok: false, reason: "mismatch", bodyShop: "victim.myshopify.com" });
    expect(checkShopClaim("app/uninstalled", SHOP, JSON.parse(fixtureText("shopify", "app_uninstalled.sample.trigger-dev.json")))).toMatchObject({
      ok: false,
      reason: "unnamed",
    });
    expect(checkShopClaim("shop/redact", SHOP, [])).toMatchObject({ ok: false, reason: "unnamed" });
  });

  it("does not ask order topics for a shop (their bodies do not name one)", () => {
    expect(checkShopClaim("orders/paid", SHOP, { id: 1 })).toEqual({ ok: true });
  });
});

describe("decideShopRedact", () => {
  const now = new Date("2026-12-05T12:00:00Z");
  const ago = (ms: number) => new Date(now.getTime() - ms);

  it("erases a shop uninstalled 48 hours ago with no session left", () => {
    expect(decideShopRedact({ status: "uninstalled", uninstalledAt: ago(SHOP_REDACT_AFTER_UNINSTALL_MS) }, false, now)).toEqual({ erase: true });
  });

  it("keeps an installed shop, and one with an offline session (it came back)", () => {
    expect(decideShopRedact({ status: "active", uninstalledAt: null }, false, now)).toEqual({ erase: false, reason: "installed" });
    expect(decideShopRedact({ status: "uninstalled", uninstalledAt: ago(3 * SHOP_REDACT_AFTER_UNINSTALL_MS) }, true, now)).toMatchObject({
      reason: "session-present",
    });
  });

  it("puts off a redact that comes before the 48 hours are up, until they are", () => {
    const uninstalledAt = ago(3_600_000);
    expect(decideShopRedact({ status: "uninstalled", uninstalledAt }, false, now)).toEqual({
      erase: false,
      reason: "too-early",
      until: new Date(uninstalledAt.getTime() + SHOP_REDACT_AFTER_UNINSTALL_MS),
    });
  });
});
