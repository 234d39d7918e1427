/**
 * Issue 15, observability: Prometheus metrics on the web (/metrics) and the worker (METRICS_PORT). A delivery
 * moves the delivery counter and the ack histogram; its job moves the job-duration histogram; the inbox gauges
 * read the database on each scrape.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { db } from "~/db.server";
import { logger } from "~/logger.server";
import { closeCommissionPeriod } from "~/services/periods/close-period.server";
import { storeReconciliation } from "~/services/commissions/reconciliation-report.server";
import { serveMetrics } from "../../workers/metrics-server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, waitUntil } from "../support/deliveries";
import { orderBody, seedShop } from "../commissions/support";

const app = runAppAndWorkers();
let workerMetrics: Server;
let shopId: string;

beforeAll(async () => {
  shopId = (await seedShop()).shopId;
  workerMetrics = serveMetrics(0);
  await new Promise((resolve) => (workerMetrics.listening ? resolve(null) : workerMetrics.once("listening", resolve)));
});
afterAll(() => new Promise((resolve) => workerMetrics.close(resolve)));

/** The value of one series in a Prometheus text exposition (0 when absent). */
function value(text: string, series: string): number {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

const scrape = async (url: string) => {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
  return response.text();
};

describe("/metrics", () => {
  it("counts a delivery, its ack time and its job, and shows the inbox backlog, on the web and the worker", async () => {
    const delivered = 'upline_webhook_deliveries_total{platform="shopify",topic="orders/paid",status="200"}';
    const acked = 'upline_ingest_ack_seconds_count{platform="shopify"}';
    const jobs = 'upline_job_duration_seconds_count{queue="webhook-events",name="process-event",outcome="completed"}';
    const before = await scrape(`${app.server.url}/metrics`);

    const webhookId = randomUUID();
    expect((await fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(orderBody("7154000001"), { webhookId }))).status).toBe(200);
    // A header topic nobody knows is counted as "other", so no sender can grow the label set.
    expect((await fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(orderBody("7154000002"), { topic: `x/${randomUUID()}` }))).status).toBe(200);
    await waitUntil(
      async () => (await db().webhookEvent.findFirst({ where: { eventKey: webhookId } }))?.status === "processed",
      20_000,
      "the delivery processed",
    );

    const after = await waitUntil(
      async () => {
        const text = await scrape(`${app.server.url}/metrics`);
        return value(text, jobs) > value(before, jobs) ? text : null;
      },
      10_000,
      "the job to be counted",
    );
    expect(value(after, delivered) - value(before, delivered)).toBe(1);
    expect(value(after, acked) - value(before, acked)).toBe(2);
    expect(value(after, 'upline_webhook_deliveries_total{platform="shopify",topic="other",status="200"}')).toBe(1);
    expect(after).toMatch(/^upline_inbox_backlog\{status="pending"\} \d+$/m);
    expect(after).toMatch(/^upline_inbox_oldest_pending_seconds \d/m);
    expect(after).toMatch(/^upline_inbox_stuck_rows 0$/m);

    const worker = await scrape(`http://127.0.0.1:${(workerMetrics.address() as AddressInfo).port}/metrics`);
    expect(value(worker, jobs)).toBeGreaterThan(0);
    expect(worker).toMatch(/^upline_inbox_backlog\{status="processing"\} \d+$/m);
  });

  it("counts the ledger transactions a delivery's commission writes, period closes, and reconciliations, on the worker", async () => {
    const workerUrl = `http://127.0.0.1:${(workerMetrics.address() as AddressInfo).port}/metrics`;
    const commissions = 'upline_ledger_transactions_total{kind="commission"}';
    const refused = 'upline_period_close_seconds_count{outcome="refused"}';
    const reconciled = 'upline_reconciliation_days_total{balanced="true"}';
    const before = await scrape(workerUrl);
    const rowsBefore = await db().ledgerTransaction.count({ where: { kind: "commission" } });

    const webhookId = randomUUID();
    expect((await fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(orderBody("7154000003"), { webhookId }))).status).toBe(200);
    await waitUntil(
      async () => (await db().webhookEvent.findFirst({ where: { eventKey: webhookId } }))?.status === "processed",
      20_000,
      "the delivery processed",
    );
    // The same delivery again writes nothing, and counts nothing.
    expect((await fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(orderBody("7154000003")))).status).toBe(200);
    await waitUntil(
      async () => (await db().webhookEvent.count({ where: { shopId, status: { in: ["pending", "processing"] } } })) === 0,
      20_000,
      "the duplicate processed",
    );
    await expect(closeCommissionPeriod(db(), shopId, randomUUID(), { actor: "test" })).rejects.toThrow();
    await storeReconciliation(db(), shopId, "2022-01-01");

    const after = await scrape(workerUrl);
    // One transaction per paid distributor (three levels of the seeded plan), counted once.
    const written = (await db().ledgerTransaction.count({ where: { kind: "commission" } })) - rowsBefore;
    expect(written).toBe(3);
    expect(value(after, commissions) - value(before, commissions)).toBe(written);
    expect(value(after, refused) - value(before, refused)).toBe(1);
    expect(value(after, reconciled) - value(before, reconciled)).toBe(1);
    expect(after).toMatch(/^upline_reconciliation_unbalanced_days 0$/m);
    expect(after).toMatch(/^# TYPE upline_reconciliation_delta_minor gauge$/m);
  });

  it("logs the inbox event id on the web and the worker, and the order id with it on the worker", async () => {
    const lines = vi.spyOn(logger, "info");
    const webhookId = randomUUID();
    expect((await fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(orderBody("7154000004"), { webhookId }))).status).toBe(200);
    const event = await waitUntil(
      async () => {
        const row = await db().webhookEvent.findFirst({ where: { eventKey: webhookId } });
        return row?.status === "processed" ? row : null;
      },
      20_000,
      "the delivery processed",
    );
    const order = await db().order.findFirstOrThrow({ where: { shopId, platformOrderId: "7154000004" } });
    await waitUntil(
      async () => lines.mock.calls.some(([fields, message]) => message === "inbox event done" && (fields as { eventId?: string }).eventId === event.id),
      5_000,
      "the worker's line",
    );
    const logged = lines.mock.calls.map(([fields, message]) => ({ ...(fields as object), message }));
    lines.mockRestore();
    expect(logged).toContainEqual(
      expect.objectContaining({
        message: "delivery stored",
        eventId: event.id,
        shopId,
        platform: "shopify",
        topic: "orders/paid",
        eventKey: webhookId,
        duplicate: false,
      }),
    );
    expect(logged).toContainEqual(
      expect.objectContaining({ message: "inbox event done", eventId: event.id, shopId, outcome: "processed", kind: "order", orderId: order.id }),
    );
  });
});
