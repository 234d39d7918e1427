-- The inbox grows by hundreds of rows a second under webhook load, so insert-triggered autovacuum runs often.
-- At the default cost delay (2 ms) each run took a burst of the 2 cores and stalled acknowledgements (ingest
-- p99 18–88 ms over five runs at 300/s). A 20 ms delay spreads the same work out: p99 19, 21, 19 ms.
ALTER TABLE "WebhookEvent" SET (autovacuum_vacuum_cost_delay = 20, toast.autovacuum_vacuum_cost_delay = 20);
