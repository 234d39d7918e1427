/**
 * The genealogy explorer in real Chromium: the sponsor tree from the company, children loaded when a node is
 * opened, a distributor found by name and shown in the tree with its upline, the distributor page one click
 * away, a move refused with the cycle check's message, then a move with a reason and an effective date: the
 * page, the tree, the GenealogyMove and the audit row all agree. The team is enrolled through the product's
 * own enrollment service.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { db } from "~/db.server";
import { createDistributor } from "~/services/genealogy/distributors.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { startAppServer, type TestServer } from "../support/app-server";
import { adminContext, embeddedUrl, launchBrowser, storeOfflineSession } from "../support/admin-browser";

const SHOP = "genealogy-tree.myshopify.com";
const SCREENSHOTS = path.resolve(".cache", "screenshots");

describe("admin genealogy tree in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let shopId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    server = await startAppServer();
    shopId = (await ensureShopifyShop(db(), SHOP)).id;
    // ROOT ← (LEAD ← (MID ← LEAF), SIDE); and 60 recruits under WIDE, more than one page of children.
    const team: [string, string, string | null][] = [
      ["ROOT1", "Rosa Root", null],
      ["LEAD1", "Lea Lead", "ROOT1"],
      ["MID01", "Mia Middle", "LEAD1"],
      ["LEAF1", "Leo Leaf", "MID01"],
      ["SIDE1", "Sid Side", "ROOT1"],
      ["WIDE1", "Wanda Wide", null],
    ];
    const enrolledAt = new Date("2026-01-01T00:00:00Z");
    for (const [code, name, sponsor] of team) {
      ids[code] = (
        await createDistributor(db(), shopId, { code, name, email: `${code.toLowerCase()}@example.com`, sponsor, enrolledAt, actor: "test" })
      ).distributorId;
    }
    for (let i = 0; i < 60; i += 1) {
      await createDistributor(db(), shopId, {
        code: `W${String(i).padStart(3, "0")}X`,
        name: `Wide recruit ${i}`,
        sponsor: "WIDE1",
        enrolledAt,
        actor: "test",
      });
    }
    await storeOfflineSession(SHOP);
    browser = await launchBrowser();
    page = await (await adminContext(browser)).newPage();
    await page.setViewportSize({ width: 1024, height: 900 });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const open = (pathname: string) => page.goto(embeddedUrl(server.url, pathname, SHOP));

  it("shows the company's frontline and loads a node's children when it is opened", async () => {
    await open("/app/tree");
    await page.getByText("(company)").first().waitFor();
    await page.getByRole("link", { name: "ROOT1", exact: true }).waitFor();
    await page.getByRole("link", { name: "WIDE1", exact: true }).waitFor();
    // Not loaded until opened.
    expect(await page.getByRole("link", { name: "LEAD1", exact: true }).count()).toBe(0);
    await page.getByRole("button", { name: "Expand ROOT1" }).click();
    await page.getByRole("link", { name: "LEAD1", exact: true }).waitFor();
    await page.getByRole("link", { name: "SIDE1", exact: true }).waitFor();
    await page.getByRole("button", { name: "Expand LEAD1" }).click();
    await page.getByRole("link", { name: "MID01", exact: true }).waitFor();
    // WIDE1 has 60 recruits, all enrolled at the same instant: 50 first (in the downline's keyset order, not by
    // code), the rest on demand, and then every one of them once.
    await page.getByRole("button", { name: "Expand WIDE1" }).click();
    const recruits = page.getByRole("link", { name: /^W\d{3}X$/ });
    await expect.poll(() => recruits.count(), { timeout: 20_000 }).toBe(50);
    await page.getByRole("button", { name: "More recruits of WIDE1" }).click();
    await expect.poll(() => recruits.count(), { timeout: 20_000 }).toBe(60);
    const shown = new Set(await recruits.allInnerTexts());
    expect(shown.size).toBe(60);
    expect(shown.has("W000X") && shown.has("W059X")).toBe(true);
  });

  it("finds a distributor by name and shows them in the tree with their upline and a link to their page", async () => {
    await open("/app/tree");
    await page.getByLabel("Find a distributor by code, name or e-mail").fill("mia midd");
    await page.getByRole("button", { name: "Find" }).click();
    await page.getByRole("link", { name: "Show MID01 in the tree" }).click();
    await page.getByRole("heading", { name: /MID01 Mia Middle/ }).waitFor();
    for (const code of ["ROOT1", "LEAD1", "LEAF1"]) await page.getByRole("link", { name: code, exact: true }).waitFor();
    const pageLink = page.getByRole("link", { name: "Open distributor page" });
    expect(await pageLink.getAttribute("href")).toContain(`/app/distributors/${ids.MID01}`);
  });

  it("refuses a move under the distributor's own downline with the cycle check's message, and records nothing", async () => {
    await page.getByLabel("New sponsor (code)").fill("LEAF1");
    await page.getByLabel("Reason").fill("testing a cycle");
    await page.getByRole("button", { name: "Move", exact: true }).click();
    await page.getByText(/cycle/i).first().waitFor();
    // The typed input stays.
    expect(await page.getByLabel("Reason").inputValue()).toBe("testing a cycle");
    expect(await db().genealogyMove.count({ where: { shopId } })).toBe(0);
  });

  it("moves MID01 under SIDE1 with a reason and an effective date: page, tree, move and audit rows agree", async () => {
    await page.getByLabel("New sponsor (code)").fill("SIDE1");
    await page.getByLabel("Effective from (UTC)").fill("2026-03-01T00:00");
    await page.getByLabel("Reason").fill("enrolled under the wrong sponsor");
    await page.getByRole("button", { name: "Move", exact: true }).click();
    await page.getByText("Moved from 2026-03-01 00:00 UTC").waitFor();
    // The breadcrumbs now run through SIDE1.
    await page.getByRole("link", { name: "SIDE1", exact: true }).waitFor();
    expect(await page.getByRole("link", { name: "LEAD1", exact: true }).count()).toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, "admin-tree-moved.png"), fullPage: true });

    const moves = await db().genealogyMove.findMany({ where: { shopId } });
    expect(moves).toHaveLength(1);
    expect(moves[0]).toMatchObject({
      tree: "sponsor",
      distributorId: ids.MID01,
      fromParentId: ids.LEAD1,
      toParentId: ids.SIDE1,
      reason: "enrolled under the wrong sponsor",
      actor: `admin:${SHOP}`,
      effectiveFrom: new Date("2026-03-01T00:00:00Z"),
    });
    expect(await db().auditLog.count({ where: { shopId, action: "distributor.sponsor_moved", entityId: ids.MID01, actor: `admin:${SHOP}` } })).toBe(1);
    const current = await db().sponsorEdge.findFirstOrThrow({ where: { shopId, distributorId: ids.MID01, validTo: null } });
    expect(current.sponsorId).toBe(ids.SIDE1);

    // From the company: SIDE1 now has MID01 (and LEAF1 under it); LEAD1 has no recruit left.
    await open("/app/tree");
    await page.getByRole("button", { name: "Expand ROOT1" }).click();
    await page.getByRole("button", { name: "Expand SIDE1" }).click();
    await page.getByRole("link", { name: "MID01", exact: true }).waitFor();
    expect(await page.getByRole("button", { name: "Expand LEAD1" }).count()).toBe(0);
  });
});
