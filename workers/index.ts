/**
 * The worker process: BullMQ consumers for inbox events and repeatable maintenance jobs. Runs apart from the
 * web process and scales the same way (any number of workers on one Redis). Every apply is one database
 * transaction, so stopping mid-job never leaves half an order posted: the job returns to the queue.
 */
process.env.UPLINE_PROCESS ??= "worker";

import { readCoreConfig } from "~/config.server";
import { exitOnStartupError, preflight } from "~/preflight.server";
import { logger } from "~/logger.server";
import { startWorkers } from "./start-workers";
import { serveMetrics } from "./metrics-server";

const SHUTDOWN_GRACE_MS = 8_000;
const FORCED_EXIT_AFTER_MS = 1_000;

async function main() {
  const settings = readCoreConfig();
  await preflight(settings);
  const running = await startWorkers(settings);
  if (settings.METRICS_PORT !== undefined) serveMetrics(settings.METRICS_PORT);
  logger.info({ concurrency: settings.WORKER_CONCURRENCY }, "workers started");
  process.send?.({ type: "ready" });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "workers shutting down");
    // Jobs still running after the grace period are abandoned; BullMQ hands them to another worker as stalled.
    // Closing can itself stall (a pool waiting on a client a stuck job holds); past the grace period the process
    // exits anyway. Nothing is half-applied: every apply is one transaction, rolled back with its connection.
    const forced = setTimeout(() => {
      logger.warn("grace period over: closing workers without waiting for active jobs");
      setTimeout(() => process.exit(0), FORCED_EXIT_AFTER_MS);
      void running.close(true).finally(() => process.exit(0));
    }, SHUTDOWN_GRACE_MS);
    forced.unref();
    try {
      await running.close(false);
    } finally {
      clearTimeout(forced);
      process.exit(0);
    }
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
  // Started by the launcher: when it dies without stopping us, its IPC channel closes; do not linger as an orphan.
  process.once("disconnect", () => void shutdown("launcher gone"));
}

main().catch(exitOnStartupError);
