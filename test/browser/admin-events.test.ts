/**
 * Issue 13, webhook events page: filter, inspect, replay. A real failure is injected into PostgreSQL (a trigger
 * refusing this shop's orders, like a migration gone wrong) while a genuine orders/paid delivery is processed:
 * with one attempt allowed it goes dead. A body no retry can fix goes dead beside it. The merchant finds both
 * under "Failed", reads the error and the body as received, sees replay offered only where it can succeed,
 * fixes the cause, replays, and the order is stored and paid once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { db } from "~/db.server";
import { queues } from "~/queues.server";
import { replayEvents } from "~/services/inbox/replay.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { adminContext, embeddedUrl, launchBrowser, storeOfflineSession } from "../support/admin-browser";
import { shopifyDelivery, TEST_SHOP, waitUntil } from "../support/deliveries";
import { orderBody, seedShop } from "../commissions/support";

// One attempt: the injected failure makes the event dead at once instead of after minutes of retries.
process.env.JOB_ATTEMPTS = "1";

const SCREENSHOTS = path.resolve(".cache", "screenshots");
const GOOD_ORDER = "7158200001";
const BROKEN_ORDER = "7158200002";

describe("admin Webhook events page in Chromium", () => {
  const app = runAppAndWorkers();
  let browser: Browser;
  let page: Page;
  let shopId: string;

  beforeAll(async () => {
    shopId = (await seedShop()).shopId;
    await storeOfflineSession(TEST_SHOP);
    browser = await launchBrowser();
    page = await (await adminContext(browser)).newPage();
  });
  afterAll(async () => {
    await db().$executeRawUnsafe(`DROP TRIGGER IF EXISTS events_page_fault ON "Order"`);
    await browser?.close();
  });

  const deliver = (body: string) =>
    fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(body, { topic: "orders/paid", shop: TEST_SHOP, webhookId: randomUUID() }));
  const eventOf = (orderId: string) => db().webhookEvent.findFirstOrThrow({ where: { shopId, rawBody: { contains: orderId } } });

  it("lists the dead events under Failed, offering replay only for the one that can succeed", async () => {
    await db().$executeRawUnsafe(`CREATE OR REPLACE FUNCTION events_page_fault() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'orders are read-only during the maintenance window'; END $$`);
    await db().$executeRawUnsafe(`CREATE TRIGGER events_page_fault BEFORE INSERT ON "Order" FOR EACH ROW EXECUTE FUNCTION events_page_fault()`);
    expect((await deliver(orderBody(GOOD_ORDER))).status).toBe(200);
    expect((await deliver(orderBody(BROKEN_ORDER).replace(/"currency": ?"USD"/g, '"currency":"DOLLARS"'))).status).toBe(200);
    await waitUntil(async () => (await db().webhookEvent.count({ where: { shopId, status: "dead" } })) === 2 || null, 20_000, "two dead events");
    expect((await eventOf(BROKEN_ORDER)).lastError).toMatch(/^invalid payload:/);

    await page.goto(embeddedUrl(app.server.url, "/app/events", TEST_SHOP));
    await page.getByRole("tab", { name: "Failed" }).click();
    await expect.poll(() => page.getByRole("row").count(), { timeout: 20_000 }).toBe(3);
    await expect.poll(() => new URL(page.url()).searchParams.get("status")).toBe("dead");
    const goodRow = page.getByRole("row", { name: /read-only during the maintenance window/ });
    const brokenRow = page.getByRole("row", { name: /invalid payload/ });
    expect(await goodRow.getByRole("button", { name: /^Replay/ }).count()).toBe(1);
    expect(await brokenRow.getByRole("button", { name: /^Replay/ }).count()).toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, "admin-events-failed.png"), fullPage: true });
  });

  it("shows an event's error and its body as received, and says why a broken body is not replayed", async () => {
    const broken = await eventOf(BROKEN_ORDER);
    await page.goto(embeddedUrl(app.server.url, `/app/events/${broken.id}`, TEST_SHOP));
    await page.getByRole("heading", { name: "Error" }).waitFor();
    expect(await page.getByText(/^invalid payload:/).count()).toBe(1);
    expect(await page.getByTestId("raw-body").innerText()).toBe(broken.rawBody);
    expect(await page.getByText("The payload can never be processed: the platform has to send a corrected one.").count()).toBe(1);
    expect(await page.getByRole("button", { name: "Replay" }).count()).toBe(0);
    // The headers the ingest kept are shown (the signature is not among them: it is checked, never stored).
    const headers = Object.keys(broken.headers as Record<string, string>);
    expect(headers.some((name) => /hmac/i.test(name))).toBe(false);
    const topicHeader = headers.find((name) => /topic/i.test(name))!;
    expect(await page.getByText(topicHeader, { exact: true }).count()).toBe(1);
  });

  it("after the cause is fixed, replaying from the list stores and pays the order once, audited", async () => {
    await db().$executeRawUnsafe(`DROP TRIGGER events_page_fault ON "Order"`);
    const good = await eventOf(GOOD_ORDER);
    await page.goto(embeddedUrl(app.server.url, "/app/events?status=dead", TEST_SHOP));
    const goodRow = page.getByRole("row", { name: /read-only during the maintenance window/ });
    await goodRow.getByRole("checkbox").first().check();
    await page.getByRole("button", { name: "Replay selected" }).click();
    await page.getByText("1 event queued again").waitFor();

    const order = await waitUntil(() => db().order.findFirst({ where: { shopId, platformOrderId: GOOD_ORDER } }), 20_000, "the replayed order");
    await waitUntil(
      async () => (await db().webhookEvent.findUniqueOrThrow({ where: { id: good.id } })).status === "processed" || null,
      20_000,
      "the event processed",
    );
    expect(await db().commission.count({ where: { shopId, orderId: order.id } })).toBe(1);
    expect(await db().auditLog.count({ where: { shopId, action: "webhook_event.replay", entityId: good.id } })).toBe(1);
    expect(await db().order.count({ where: { shopId, platformOrderId: BROKEN_ORDER } })).toBe(0);

    await page.goto(embeddedUrl(app.server.url, `/app/events/${good.id}`, TEST_SHOP));
    await page.getByRole("heading", { name: "Order", exact: true }).waitFor();
    expect(await page.getByText(GOOD_ORDER, { exact: false }).first().isVisible()).toBe(true);
    expect(await page.getByText("Already processed.").count()).toBe(1);
    expect(await page.getByText(/^Replays/).count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, "admin-events-replayed.png"), fullPage: true });
  });

  it("a bulk replay counts what it queued and says why it left the rest", async () => {
    const broken = await eventOf(BROKEN_ORDER);
    const good = await eventOf(GOOD_ORDER);
    const result = await replayEvents(db(), queues(), shopId, [broken.id, good.id, randomUUID()], "test", 1);
    expect(result.queued).toBe(0);
    expect(result.refused.map((refusal) => refusal.reason)).toEqual([
      "The payload can never be processed: the platform has to send a corrected one.",
      "Already processed.",
      "Not found.",
    ]);
  });

  it("filters by platform and topic, and a malformed filter is ignored rather than a 500", async () => {
    await page.goto(embeddedUrl(app.server.url, "/app/events?platform=woocommerce", TEST_SHOP));
    await page.getByText("No event matches these filters.").waitFor();
    await page.goto(embeddedUrl(app.server.url, "/app/events?topic=orders%2Fpaid&before=not-a-cursor&status=%00", TEST_SHOP));
    await expect.poll(() => page.getByRole("row").count(), { timeout: 20_000 }).toBe(3);
  });
});
