/**
 * The admin's Distributors pages in real Chromium: create distributors through the form, read the upline the
 * tree service answers, move a distributor (audited, with a reason), see a cycle refused, change a status.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { db } from "~/db.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { startAppServer, type TestServer } from "../support/app-server";
import { adminContext, embeddedUrl, launchBrowser, storeOfflineSession } from "../support/admin-browser";

const SHOP = "genealogy-admin.myshopify.com";

describe("admin Distributors pages in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let shopId: string;

  beforeAll(async () => {
    server = await startAppServer();
    shopId = (await ensureShopifyShop(db(), SHOP)).id;
    await storeOfflineSession(SHOP);
    browser = await launchBrowser();
    page = await (await adminContext(browser)).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const open = (path: string) => page.goto(embeddedUrl(server.url, path, SHOP));
  const idOf = async (code: string) => (await db().distributor.findFirstOrThrow({ where: { shopId, code } })).id;

  async function add(fields: { name: string; email: string; code: string; sponsor?: string }) {
    await open("/app/distributors");
    await page.getByLabel("Name", { exact: true }).fill(fields.name);
    await page.getByLabel("E-mail", { exact: true }).fill(fields.email);
    await page.getByLabel("Sponsor (code)").fill(fields.sponsor ?? "");
    await page.getByLabel("Referral code").fill(fields.code);
    await page.getByRole("button", { name: "Add distributor" }).click();
  }

  it("creates distributors through the form, under the company when no sponsor is given", async () => {
    await add({ name: "Ann Lee", email: "ann@example.com", code: "ANN" });
    await page.getByText("Distributor created").waitFor();
    await add({ name: "Bob Ray", email: "bob@example.com", code: "BOB", sponsor: "ann" });
    await page.getByText("Distributor created").waitFor();
    await add({ name: "Cat Poe", email: "cat@example.com", code: "CAT" });
    await page.getByText("Distributor created").waitFor();

    await open("/app/distributors");
    for (const code of ["ANN", "BOB", "CAT"]) await page.getByRole("link", { name: code, exact: true }).waitFor();
    const bob = await db().distributor.findFirstOrThrow({ where: { shopId, code: "BOB" }, include: { sponsorEdges: true } });
    expect(bob.email).toBe("bob@example.com");
    expect(bob.sponsorEdges.map((edge) => edge.sponsorId)).toEqual([await idOf("ANN")]);
  });

  it("refuses a taken referral code on the field and creates nothing", async () => {
    const before = await db().distributor.count({ where: { shopId } });
    await add({ name: "Another Ann", email: "ann2@example.com", code: "ann" });
    await page
      .getByText(/ANN/)
      .and(page.getByText(/taken|already|use/i))
      .first()
      .waitFor();
    expect(await db().distributor.count({ where: { shopId } })).toBe(before);
  });

  it("shows the upline: the sponsor at level 1, the company above", async () => {
    await open(`/app/distributors/${await idOf("BOB")}`);
    const upline = page.locator("table").first();
    await upline.getByRole("link", { name: "ANN", exact: true }).waitFor();
    await upline.getByText("(company)").waitFor();
  });

  it("refuses a move that would make a cycle, with the reason on the field, and records nothing", async () => {
    await open(`/app/distributors/${await idOf("ANN")}`);
    await page.getByLabel("New sponsor (code)").fill("BOB");
    await page.getByLabel("Reason", { exact: true }).first().fill("testing a cycle");
    await page.getByRole("button", { name: "Move", exact: true }).click();
    await page.getByText(/cycle/i).first().waitFor();
    expect(await db().genealogyMove.count({ where: { shopId } })).toBe(0);
  });

  it("moves a distributor to another sponsor with a reason, audited, and the upline follows", async () => {
    await open(`/app/distributors/${await idOf("BOB")}`);
    await page.getByLabel("New sponsor (code)").fill("CAT");
    await page.getByLabel("Reason", { exact: true }).first().fill("enrolled under the wrong sponsor");
    await page.getByRole("button", { name: "Move", exact: true }).click();
    await page.getByText(/^Moved from/).waitFor();
    await page.locator("table").first().getByRole("link", { name: "CAT", exact: true }).waitFor();

    const moves = await db().genealogyMove.findMany({ where: { shopId } });
    expect(moves).toHaveLength(1);
    expect(moves[0]).toMatchObject({
      tree: "sponsor",
      distributorId: await idOf("BOB"),
      fromParentId: await idOf("ANN"),
      toParentId: await idOf("CAT"),
      reason: "enrolled under the wrong sponsor",
      actor: `admin:${SHOP}`,
    });
    expect(await db().auditLog.count({ where: { shopId, action: "distributor.sponsor_moved", entityId: await idOf("BOB"), actor: `admin:${SHOP}` } })).toBe(1);
  });

  it("changes a status, effective now, kept as history", async () => {
    await open(`/app/distributors/${await idOf("CAT")}`);
    await page.getByLabel("Status", { exact: true }).selectOption("inactive");
    await page.getByRole("button", { name: "Change status" }).click();
    await page.getByText("Status is now inactive").waitFor();
    const cat = await db().distributor.findFirstOrThrow({ where: { shopId, code: "CAT" }, include: { statusPeriods: true } });
    expect(cat.status).toBe("inactive");
    expect(cat.statusPeriods.map((period) => [period.status, period.validTo])).toEqual([["inactive", null]]);
  });
});
