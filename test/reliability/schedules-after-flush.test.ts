/**
 * Issue 15, defect 5: the repeatable jobs (sweeper, holds, period close, reconciliation, backfill) live in Redis
 * only. After a FLUSHALL, or a Redis restart without persistence, they stayed gone until a worker restarted.
 * Workers now declare them again on reconnect and periodically. The faults hit a Redis server of this file's
 * own (FLUSHALL on the shared one would wipe every other test run).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { Redis } from "ioredis";
import { coreConfig } from "~/config.server";
import { createQueues, MAINTENANCE_JOBS, type Queues } from "~/queues.server";
import { startWorkers, type RunningWorkers } from "../../workers/start-workers";
import { waitUntil } from "../support/deliveries";

const port = await freePort();
const redisUrl = `redis://127.0.0.1:${port}`;
Object.assign(process.env, { REDIS_URL: redisUrl, SWEEPER_INTERVAL_MS: "500" });

let redisServer: ChildProcess;
let inspector: Redis;
let queues: Queues;
let workers: RunningWorkers | undefined;
const SCHEDULED = Object.values(MAINTENANCE_JOBS).sort();

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port: free } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(free));
    });
  });
}

async function startRedis(): Promise<ChildProcess> {
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  const probe = new Redis(redisUrl, { lazyConnect: true, retryStrategy: () => 100, maxRetriesPerRequest: 0 });
  probe.on("error", () => {});
  await waitUntil(async () => (await probe.ping().catch(() => null)) === "PONG", 10_000, "redis-server to answer");
  probe.disconnect();
  return child;
}

const scheduled = async () => (await queues.maintenance.getJobSchedulers()).map((scheduler) => scheduler.key).sort();
const sweepsCompleted = async () => (await queues.maintenance.getCompleted()).filter((job) => job.name === MAINTENANCE_JOBS.sweepInbox).length;

beforeAll(async () => {
  redisServer = await startRedis();
  inspector = new Redis(redisUrl, { maxRetriesPerRequest: null });
  inspector.on("error", () => {});
  queues = createQueues(inspector, coreConfig().REDIS_PREFIX);
});
afterAll(async () => {
  await workers?.close(true);
  await queues?.close();
  inspector?.disconnect();
  redisServer?.kill("SIGKILL");
});

describe("the repeatable jobs", () => {
  it("come back after a Redis restart that lost them, as soon as the worker reconnects", async () => {
    workers = await startWorkers({ ...coreConfig(), SCHEDULE_REASSERT_MS: 600_000 });
    expect(await scheduled()).toEqual(SCHEDULED);

    redisServer.kill("SIGKILL");
    await new Promise((resolve) => redisServer.once("exit", resolve));
    redisServer = await startRedis();
    await waitUntil(async () => JSON.stringify(await scheduled().catch(() => [])) === JSON.stringify(SCHEDULED), 20_000, "the schedulers after the restart");
    // Closing the workers ends the process's database pool with them; the next test's workers open a new one.
    await workers.close(true);
    workers = undefined;
    globalThis.__uplineDatabase = undefined;
    globalThis.__uplinePrisma = undefined;
  });

  it("come back and run again after a FLUSHALL, without a worker restart", async () => {
    workers = await startWorkers({ ...coreConfig(), SCHEDULE_REASSERT_MS: 1_000 });
    await waitUntil(async () => (await sweepsCompleted()) > 0, 10_000, "a first sweep");

    await inspector.flushall();
    expect(await scheduled()).toEqual([]);
    await waitUntil(async () => JSON.stringify(await scheduled()) === JSON.stringify(SCHEDULED), 10_000, "the schedulers after the flush");
    await waitUntil(async () => (await sweepsCompleted()) > 0, 10_000, "a sweep after the flush");
  });
});
