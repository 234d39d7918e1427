import type { Pool } from "pg";
import type { Db } from "~/db.server";
import type { Queues } from "~/queues.server";
import { wooCommerceAdapter } from "~/domain/platforms/woocommerce";
import { parseJsonLossless } from "~/domain/platforms/json";
import { enqueueInboxEvent, insertInboxEvent } from "~/services/ingest/inbox.server";

/**
 * WooCommerce never retries a failed webhook and builds its payload when the job runs, so webhooks alone lose
 * orders. The backfill asks the store's REST API for orders modified since the last run (and each refunded
 * order's per-line refunds) and feeds them into the inbox under the same event keys a webhook of the same
 * version gets, so a missed delivery is caught and a delivered one is not stored twice.
 */

/** Runs start this far before the last run, so a clock difference with the store cannot skip an order. */
const OVERLAP_MS = 5 * 60 * 1000;
const FIRST_RUN_LOOKBACK_MS = 24 * 60 * 60 * 1000;
const PAGE_SIZE = 100;

export interface BackfillDeps {
  db: Db;
  pool: Pool;
  queues: Queues;
  jobAttempts: number;
  fetch?: typeof fetch;
  now?: () => Date;
}

export interface BackfillResult {
  connectionId: string;
  ordersSeen: number;
  refundsSeen: number;
  newEvents: number;
}

interface WooConnection {
  id: string;
  shopId: string;
  baseUrl: string;
  restConsumerKey: string;
  restConsumerSecret: string;
  lastBackfillAt: Date | null;
}

async function getJson(deps: BackfillDeps, connection: WooConnection, path: string, query: Record<string, string>) {
  const url = new URL(`/wp-json/wc/v3${path}`, connection.baseUrl);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const auth = Buffer.from(`${connection.restConsumerKey}:${connection.restConsumerSecret}`).toString("base64");
  const response = await (deps.fetch ?? fetch)(url, {
    headers: { Authorization: `Basic ${auth}`, Accept: "application/json" },
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) throw new Error(`WooCommerce ${url.pathname} answered ${response.status}`);
  return { text: await response.text(), totalPages: Number(response.headers.get("x-wp-totalpages") ?? 1) };
}

async function store(deps: BackfillDeps, connection: WooConnection, topic: string, rawBody: string): Promise<boolean> {
  const headers = { "x-wc-webhook-topic": topic, "x-upline-source": "backfill" };
  const { eventId, inserted } = await insertInboxEvent(deps.pool, {
    shopId: connection.shopId,
    connectionId: connection.id,
    platform: "woocommerce",
    eventKey: wooCommerceAdapter.eventKey(headers, rawBody),
    topic,
    headers,
    rawBody,
    triggeredAt: null,
  });
  if (inserted && eventId) await enqueueInboxEvent(deps.queues, eventId, connection.shopId, deps.jobAttempts);
  return inserted;
}

export async function backfillWooCommerceConnection(deps: BackfillDeps, connection: WooConnection): Promise<BackfillResult> {
  const startedAt = (deps.now ?? (() => new Date()))();
  const since = new Date((connection.lastBackfillAt?.getTime() ?? startedAt.getTime() - FIRST_RUN_LOOKBACK_MS) - OVERLAP_MS);
  const result: BackfillResult = { connectionId: connection.id, ordersSeen: 0, refundsSeen: 0, newEvents: 0 };

  for (let page = 1; ; page++) {
    const { text, totalPages } = await getJson(deps, connection, "/orders", {
      modified_after: since.toISOString(),
      per_page: String(PAGE_SIZE),
      page: String(page),
      orderby: "modified",
      order: "asc",
      dates_are_gmt: "true",
    });
    const orders = parseJsonLossless(text) as Record<string, unknown>[];
    for (const order of orders) {
      result.ordersSeen++;
      // The order as a webhook would carry it: order.updated with the same date_modified_gmt gives the same key.
      if (await store(deps, connection, "order.updated", JSON.stringify(order))) result.newEvents++;
      if (Array.isArray(order.refunds) && order.refunds.length > 0) {
        const refunds = parseJsonLossless((await getJson(deps, connection, `/orders/${String(order.id)}/refunds`, {})).text) as Record<string, unknown>[];
        for (const refund of refunds) {
          result.refundsSeen++;
          // A refund object states neither its order nor its currency; the order does.
          const body = JSON.stringify({ ...refund, parent_id: order.id, currency: order.currency });
          if (await store(deps, connection, "refund.created", body)) result.newEvents++;
        }
      }
    }
    if (page >= totalPages || orders.length === 0) break;
  }

  await deps.db.connection.update({ where: { id: connection.id }, data: { lastBackfillAt: startedAt } });
  return result;
}

/** Every active WooCommerce connection that holds REST credentials; one failing store does not stop the others. */
export async function backfillAllWooCommerce(deps: BackfillDeps): Promise<{ results: BackfillResult[]; failures: { connectionId: string; error: string }[] }> {
  const connections = await deps.db.connection.findMany({
    where: { platform: "woocommerce", status: "active", baseUrl: { not: null }, restConsumerKey: { not: null }, restConsumerSecret: { not: null } },
    select: { id: true, shopId: true, baseUrl: true, restConsumerKey: true, restConsumerSecret: true, lastBackfillAt: true },
  });
  const results: BackfillResult[] = [];
  const failures: { connectionId: string; error: string }[] = [];
  for (const connection of connections) {
    try {
      results.push(await backfillWooCommerceConnection(deps, connection as WooConnection));
    } catch (error) {
      failures.push({ connectionId: connection.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return { results, failures };
}
