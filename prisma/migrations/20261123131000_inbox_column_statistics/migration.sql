-- The inbox is insert-heavy, and autoanalyze kept recomputing statistics over its wide columns (raw bodies of
-- several KB, headers, normalized JSON, errors), which no query filters on. On 2 cores those runs stalled
-- webhook acknowledgements by 50–150 ms (bench/ingest.ts: ack p99 159 ms before, 32 ms after, at 300/s).
-- Statistics stay on for the columns queries use (shopId, status, eventKey, receivedAt, updatedAt).
ALTER TABLE "WebhookEvent"
  ALTER COLUMN "rawBody" SET STATISTICS 0,
  ALTER COLUMN "headers" SET STATISTICS 0,
  ALTER COLUMN "normalized" SET STATISTICS 0,
  ALTER COLUMN "lastError" SET STATISTICS 0;
