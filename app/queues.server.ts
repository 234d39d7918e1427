import { Queue, type ConnectionOptions, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { createRedis } from "./redis.server";
import { coreConfig } from "./config.server";

/**
 * Every BullMQ queue and job shape in one place. Redis only delivers work: the inbox table decides what must
 * be processed, so losing a job (Redis restart, eviction) delays an event until the sweeper re-enqueues it.
 */

export const QUEUE_NAMES = {
  /** One job per inbox row: normalize, attribute, compute, post to the ledger. */
  events: "webhook-events",
  /** Repeatable housekeeping: inbox sweeper, hold releases, reconciliation, backfills. */
  maintenance: "maintenance",
} as const;

export interface ProcessEventJob {
  eventId: string;
  shopId: string;
}

export const MAINTENANCE_JOBS = {
  sweepInbox: "sweep-inbox",
  releaseHolds: "release-holds",
  reconcile: "reconcile",
  applyStrandedRefunds: "apply-stranded-refunds",
  wooBackfill: "woo-backfill",
  closePeriods: "close-periods",
  purgeIdempotencyKeys: "purge-idempotency-keys",
  schedulePayouts: "schedule-payouts",
  sweepPayouts: "sweep-payouts",
} as const;

/** One-off maintenance jobs (not repeatable): a Web Pixel checkout report to settle against its delivered order. */
export const ONE_OFF_JOBS = {
  reconcilePixelSignal: "reconcile-pixel-signal",
} as const;

export type MaintenanceJobName = (typeof MAINTENANCE_JOBS)[keyof typeof MAINTENANCE_JOBS];

export function eventJobOptions(eventId: string, attempts: number): JobsOptions {
  return {
    // The inbox id as job id: adding the same event twice while its job exists is a no-op in BullMQ.
    jobId: eventId,
    attempts,
    backoff: { type: "exponential", delay: 1_000 },
    removeOnComplete: { age: 3_600, count: 10_000 },
    // Failed jobs stay inspectable in Redis for a week; the inbox row keeps the error for good.
    removeOnFail: { age: 7 * 24 * 3_600 },
  };
}

export interface Queues {
  events: Queue<ProcessEventJob>;
  maintenance: Queue;
  close(): Promise<void>;
}

export function createQueues(connection: Redis | ConnectionOptions, prefix: string): Queues {
  const events = new Queue<ProcessEventJob>(QUEUE_NAMES.events, { connection, prefix });
  const maintenance = new Queue(QUEUE_NAMES.maintenance, { connection, prefix });
  return {
    events,
    maintenance,
    async close() {
      await Promise.all([events.close(), maintenance.close()]);
    },
  };
}

declare global {
  var __uplineQueues: { redis: Redis; queues: Queues } | undefined;
}

// The web process's producer side: one fail-fast Redis connection shared by its queues and health checks.
function shared() {
  if (!globalThis.__uplineQueues) {
    const { REDIS_URL, REDIS_PREFIX } = coreConfig();
    const redis = createRedis(REDIS_URL, "client");
    redis.on("error", () => {}); // surfaced by health checks and failed enqueues, not as unhandled events
    globalThis.__uplineQueues = { redis, queues: createQueues(redis, REDIS_PREFIX) };
  }
  return globalThis.__uplineQueues;
}

export const queues = (): Queues => shared().queues;
export const redis = (): Redis => shared().redis;

/**
 * Opens the shared connection and lets the queues finish their one-time start-up before the web process
 * listens, so its first requests do not race the connect. BullMQ keeps a failed start-up for the queue's life
 * (every add would fail): that must stop the process here, not leave it answering 200 and enqueueing nothing.
 */
export async function connectQueues(timeoutMs = 5_000): Promise<void> {
  const connection = redis();
  if (connection.status !== "ready") {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Redis did not become ready within ${timeoutMs} ms`)), timeoutMs);
      connection.once("ready", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  const { events, maintenance } = queues();
  await Promise.all([events.waitUntilReady(), maintenance.waitUntilReady()]);
}
