/**
 * Issue 15, defect 1: no inbox row is stranded for good. BullMQ keeps a job it has failed (and its id) for days,
 * so re-adding under the same id was silently ignored: after a PostgreSQL outage longer than the retry budget
 * every queued event stayed pending, and a job whose worker was SIGKILLed twice mid-run (BullMQ fails it for
 * stalling) left its row `processing` for ever. The faults are real: worker processes are killed, and
 * PostgreSQL refuses connections (through a proxy in front of it, so the shared server keeps running).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { coreConfig } from "~/config.server";
import { db } from "~/db.server";
import { queues } from "~/queues.server";
import { orderLockKey } from "~/services/orders/order-lock.server";
import { startWorkers, type RunningWorkers } from "../../workers/start-workers";
import { startAppServer, type TestServer } from "../support/app-server";
import { shopifyDelivery, waitUntil } from "../support/deliveries";
import { spawnScript, type RunningProcess } from "../support/processes";
import { startTcpProxy } from "../support/tcp-proxy";
import { orderBody, seedShop } from "../commissions/support";

// Every process of this file (web, in-process workers, spawned workers) reaches PostgreSQL through the proxy;
// the short timings stand in for BullMQ's and the sweeper's defaults (30 s locks, 60 s staleness).
const directUrl = process.env.DATABASE_URL!;
const target = new URL(directUrl);
const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
Object.assign(process.env, {
  DATABASE_URL: proxy.url(directUrl),
  JOB_ATTEMPTS: "3",
  SWEEPER_INTERVAL_MS: "1000",
  SWEEPER_STALE_AFTER_MS: "2000",
  INBOX_LEASE_MS: "2000",
  WORKER_LOCK_DURATION_MS: "2000",
  WORKER_STALLED_INTERVAL_MS: "1000",
});

let server: TestServer;
let shopId: string;
let workers: RunningWorkers | undefined;
const children: RunningProcess[] = [];

beforeAll(async () => {
  server = await startAppServer();
  shopId = (await seedShop()).shopId;
});
afterAll(async () => {
  for (const child of children) child.child.kill("SIGKILL");
  await workers?.close(true);
  await server?.close();
  await proxy.close();
});

async function deliver(orderId: string): Promise<string> {
  const webhookId = randomUUID();
  const response = await fetch(`${server.url}/ingest/shopify`, shopifyDelivery(orderBody(orderId), { webhookId }));
  expect(response.status).toBe(200);
  const event = await db().webhookEvent.findFirstOrThrow({ where: { shopId, eventKey: webhookId } });
  return event.id;
}

const eventRow = (id: string) => db().webhookEvent.findUniqueOrThrow({ where: { id } });

describe("an event whose worker is SIGKILLed twice mid-run", () => {
  it("is processed once the sweeper finds it, although BullMQ failed its job for stalling", async () => {
    const orderId = "7150000000001";
    // Holding the order's lock keeps each attempt inside its apply until this test kills the worker.
    const blocker = new pg.Client({ connectionString: directUrl });
    await blocker.connect();
    await blocker.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [orderLockKey(shopId, "shopify", orderId)]);
    let eventId = "";
    try {
      eventId = await deliver(orderId);
      for (const attempt of [1, 2]) {
        const worker = spawnScript("workers/index.ts", {});
        children.push(worker);
        await waitUntil(
          async () => {
            const row = await eventRow(eventId);
            return row.status === "processing" && row.attempts === attempt;
          },
          45_000,
          `attempt ${attempt} to be running`,
        );
        worker.child.kill("SIGKILL");
        await worker.exit();
      }

      workers = await startWorkers(coreConfig());
      const failedJob = await waitUntil(
        async () => {
          const job = await queues().events.getJob(eventId);
          return job?.finishedOn && job.failedReason ? job : null;
        },
        20_000,
        "BullMQ to fail the twice-stalled job",
      );
      expect(failedJob.failedReason).toMatch(/stalled/);
      expect((await eventRow(eventId)).status).toBe("processing");
    } finally {
      await blocker.end();
    }

    await waitUntil(async () => (await eventRow(eventId)).status === "processed", 20_000, "the stranded event to be processed");
    const order = await db().order.findFirstOrThrow({ where: { shopId, platformOrderId: orderId } });
    expect(await db().commission.count({ where: { shopId, orderId: order.id } })).toBe(1);
  });
});

describe("a queued backlog through a PostgreSQL outage longer than the retry budget", () => {
  it("is processed in full after PostgreSQL comes back, although BullMQ failed every job", async () => {
    const orderIds = Array.from({ length: 20 }, (_, i) => String(7_151_000_000_000 + i));
    // The workers of the test above keep running; a paused queue lets the backlog build up in front of them.
    await queues().events.pause();
    const eventIds: string[] = [];
    for (const orderId of orderIds) eventIds.push(await deliver(orderId));

    await proxy.refuse();
    await queues().events.resume();
    await waitUntil(
      async () => {
        const jobs = await Promise.all(eventIds.map((id) => queues().events.getJob(id)));
        return jobs.every((job) => job?.finishedOn && job.failedReason);
      },
      30_000,
      "BullMQ to fail every job of the backlog (3 attempts each)",
    );
    // A few sweeps run (and fail) during the outage too.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await proxy.restore();

    await waitUntil(
      async () => (await db().webhookEvent.count({ where: { id: { in: eventIds }, status: "processed" } })) === eventIds.length,
      30_000,
      "every event of the backlog to be processed",
    );
    expect(await db().order.count({ where: { shopId, platformOrderId: { in: orderIds } } })).toBe(orderIds.length);
  });
});
