/**
 * The payouts queue: one "execute" job per run. The job id is the run id while it is queued, so approving
 * twice enqueues once; a poll of a provider that has not finished is a delayed job of its own.
 */
import { Queue, type ConnectionOptions } from "bullmq";
import type { Redis } from "ioredis";
import { coreConfig } from "~/config.server";
import { createRedis } from "~/redis.server";

export const PAYOUTS_QUEUE = "payouts";

export interface ExecutePayoutRunJob {
  readonly shopId: string;
  readonly runId: string;
}

export function createPayoutsQueue(connection: Redis | ConnectionOptions, prefix: string): Queue<ExecutePayoutRunJob> {
  return new Queue<ExecutePayoutRunJob>(PAYOUTS_QUEUE, { connection, prefix });
}

export const executeJobOptions = (runId: string, delayMs = 0) => ({
  jobId: delayMs === 0 ? `run-${runId}` : `run-${runId}-poll-${Date.now()}`,
  delay: delayMs,
  attempts: 8,
  backoff: { type: "exponential" as const, delay: 2_000 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3_600 },
});

declare global {
  var __uplinePayoutsQueue: Queue<ExecutePayoutRunJob> | undefined;
}

/** This process's payouts queue (web and worker alike), opened on first use. */
export function payoutsQueue(): Queue<ExecutePayoutRunJob> {
  if (!globalThis.__uplinePayoutsQueue) {
    const { REDIS_URL, REDIS_PREFIX } = coreConfig();
    const redis = createRedis(REDIS_URL, "client");
    redis.on("error", () => {});
    globalThis.__uplinePayoutsQueue = createPayoutsQueue(redis, REDIS_PREFIX);
  }
  return globalThis.__uplinePayoutsQueue;
}

export async function enqueuePayoutRun(shopId: string, runId: string): Promise<void> {
  await payoutsQueue().add("execute", { shopId, runId }, executeJobOptions(runId));
}

/** Queues a stuck run again under a job id of its own (a failed job kept under run-<id> would swallow the add). */
export async function requeuePayoutRun(shopId: string, runId: string, jobId: string): Promise<void> {
  await payoutsQueue().add("execute", { shopId, runId }, { ...executeJobOptions(runId), jobId });
}
