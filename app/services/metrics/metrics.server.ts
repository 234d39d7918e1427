/**
 * Prometheus metrics (prom-client), one registry per process: the web serves it on /metrics, a worker process
 * on its own port (METRICS_PORT). Labels are bounded: a topic label is the topic only when the platform knows
 * it (anything else, attacker-chosen headers included, is "other").
 */
import client from "prom-client";
import type { Db } from "~/db.server";

export const registry = new client.Registry();

export const deliveries = new client.Counter({
  name: "upline_webhook_deliveries_total",
  help: "Webhook deliveries answered by the ingest, by platform, topic and HTTP status",
  labelNames: ["platform", "topic", "status"] as const,
  registers: [registry],
});

export const ackSeconds = new client.Histogram({
  name: "upline_ingest_ack_seconds",
  help: "Time from a delivery's arrival to its answer",
  labelNames: ["platform"] as const,
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const jobSeconds = new client.Histogram({
  name: "upline_job_duration_seconds",
  help: "BullMQ job run time, by queue, job name and outcome",
  labelNames: ["queue", "name", "outcome"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [registry],
});

export const jobFailures = new client.Counter({
  name: "upline_job_failures_total",
  help: "BullMQ job attempts that failed, by queue and job name",
  labelNames: ["queue", "name"] as const,
  registers: [registry],
});

/** Waits before or after Admin API calls: the bucket could not afford a query yet, a THROTTLED answer, an HTTP 429. */
export const adminThrottleWaits = new client.Counter({
  name: "upline_shopify_admin_throttle_waits_total",
  help: "Shopify Admin API calls that waited for the rate limit, by reason (bucket, throttled, http_429)",
  labelNames: ["reason"] as const,
  registers: [registry],
});

export const ledgerTransactions = new client.Counter({
  name: "upline_ledger_transactions_total",
  help: "Ledger transactions written by the one ledger writer, by kind (counted when the statement inserts them; a rare rollback after that is counted too)",
  labelNames: ["kind"] as const,
  registers: [registry],
});

/** Counts what a ledger write inserted: `{ order_commission: 1, … }` as the writer's statement returns it. */
export function countLedgerTransactions(insertedKinds: Readonly<Record<string, number>> | null | undefined): void {
  for (const [kind, count] of Object.entries(insertedKinds ?? {})) if (count > 0) ledgerTransactions.inc({ kind }, count);
}

export const periodCloseSeconds = new client.Histogram({
  name: "upline_period_close_seconds",
  help: "Time to close one commission period, by outcome (closed, already_closed, refused, error)",
  labelNames: ["outcome"] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
  registers: [registry],
});

export const reconciledDays = new client.Counter({
  name: "upline_reconciliation_days_total",
  help: "(shop, day) reconciliations run by the repeatable job, by whether the ledger matched the orders",
  labelNames: ["balanced"] as const,
  registers: [registry],
});

let inboxGauges = false;

/**
 * The inbox as the database sees it, read on each scrape: rows waiting (pending, processing, failed), the
 * age of the oldest pending row, and stuck rows (processing with no live claim: a worker died under them).
 */
export function registerInboxGauges(db: Db): void {
  if (inboxGauges) return;
  inboxGauges = true;
  let last: Promise<{ backlog: Map<string, number>; oldest: number; stuck: number }> | null = null;
  const read = async () => {
    const [row] = await db.$queryRaw<{ pending: number; processing: number; failed: number; oldest: number | null; stuck: number }[]>`
      SELECT count(*) FILTER (WHERE "status" = 'pending')::int AS pending,
        count(*) FILTER (WHERE "status" = 'processing')::int AS processing,
        count(*) FILTER (WHERE "status" = 'failed')::int AS failed,
        extract(epoch FROM timezone('UTC', now()) - min("receivedAt") FILTER (WHERE "status" = 'pending'))::float8 AS oldest,
        count(*) FILTER (WHERE "status" = 'processing' AND ("leaseUntil" IS NULL OR "leaseUntil" < timezone('UTC', now())))::int AS stuck
      FROM "WebhookEvent" WHERE "status" IN ('pending', 'processing', 'failed')`;
    return {
      backlog: new Map([
        ["pending", row?.pending ?? 0],
        ["processing", row?.processing ?? 0],
        ["failed", row?.failed ?? 0],
      ]),
      oldest: row?.oldest ?? 0,
      stuck: row?.stuck ?? 0,
    };
  };
  // One query per scrape, shared by the three gauges.
  const snapshot = () => (last ??= read().finally(() => setTimeout(() => (last = null), 500)));
  new client.Gauge({
    name: "upline_inbox_backlog",
    help: "Inbox rows not yet processed, by status",
    labelNames: ["status"] as const,
    registers: [registry],
    async collect() {
      const { backlog } = await snapshot();
      for (const [status, count] of backlog) this.set({ status }, count);
    },
  });
  new client.Gauge({
    name: "upline_inbox_oldest_pending_seconds",
    help: "Age of the oldest pending inbox row",
    registers: [registry],
    async collect() {
      this.set((await snapshot()).oldest);
    },
  });
  new client.Gauge({
    name: "upline_inbox_stuck_rows",
    help: "Inbox rows processing with no live claim (their worker died)",
    registers: [registry],
    async collect() {
      this.set((await snapshot()).stuck);
    },
  });
}

let reconciliationGauges = false;

/**
 * The stored reconciliation reports as the database holds them, read on each scrape (so every process answers
 * the same): how many (shop, day) reports are unbalanced, and their deltas summed as absolute minor units per
 * currency. Both are 0 when the ledger equals what the orders say.
 */
export function registerReconciliationGauges(db: Db): void {
  if (reconciliationGauges) return;
  reconciliationGauges = true;
  new client.Gauge({
    name: "upline_reconciliation_unbalanced_days",
    help: "Stored (shop, day) reconciliation reports whose ledger differs from the orders",
    registers: [registry],
    async collect() {
      const [row] = await db.$queryRaw<{ count: number }[]>`SELECT count(*)::int AS count FROM "ReconciliationReport" WHERE NOT "balanced"`;
      this.set(row?.count ?? 0);
    },
  });
  new client.Gauge({
    name: "upline_reconciliation_delta_minor",
    help: "Absolute reconciliation deltas of the unbalanced stored reports, summed per currency, in minor units",
    labelNames: ["currency"] as const,
    registers: [registry],
    async collect() {
      const rows = await db.$queryRaw<{ currency: string; delta: number }[]>`
        SELECT t->>'currency' AS currency, sum(abs((t->'delta'->>'amount_minor')::numeric))::float8 AS delta
        FROM "ReconciliationReport" r, jsonb_array_elements(r."report"->'totals') AS t
        WHERE NOT r."balanced" GROUP BY 1`;
      this.reset();
      for (const row of rows) this.set({ currency: row.currency }, row.delta);
    },
  });
}

export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
