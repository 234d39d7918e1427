import { config } from "~/config.server";
import { db, pgPool } from "~/db.server";
import { queues } from "~/queues.server";
import type { IngestDeps, ShopifyIngestDeps } from "./ingest.server";

/** The process's singletons, wired for the ingest routes; tests pass their own. */
export function ingestDeps(): IngestDeps {
  const settings = config();
  return { db: db(), pool: pgPool(), queues: queues(), maxBodyBytes: settings.INGEST_MAX_BODY_BYTES, jobAttempts: settings.JOB_ATTEMPTS };
}

export function shopifyIngestDeps(): ShopifyIngestDeps {
  return { ...ingestDeps(), apiSecret: config().SHOPIFY_API_SECRET };
}
