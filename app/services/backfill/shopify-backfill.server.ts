/**
 * The Shopify twin of the WooCommerce backfill: orders updated since a date, read through the Admin GraphQL API
 * and fed into the inbox as `orders/updated` events, so orders from before the install and orders whose webhook
 * never arrived are processed like any delivery. Small ranges are paged with the orders query; large ones (more
 * than BULK_THRESHOLD orders, an order with more lines than a page holds, or a page above Shopify's cost limit) run
 * as one bulk operation, whose JSONL result is read as it downloads.
 *
 * Stored once: a Shopify webhook's inbox key is its X-Shopify-Webhook-Id, which no API read can know. So an order
 * whose version (updated_at) is already stored, by a webhook or an earlier run, is skipped before the inbox, and
 * the rest go in under `backfill:<order id>:<updated_at>`, the same key for the same version on every run. The
 * worker's order upsert (one row per shop, platform and order id; the newest updated_at wins) and its
 * commission-once rule make a race with a webhook still in flight harmless: one order row, one commission.
 */
import type { Pool } from "pg";
import type { Db } from "~/db.server";
import type { Queues } from "~/queues.server";
import { BulkOrderAssembler } from "~/domain/shopify-admin/bulk-orders";
import {
  LINE_ITEM_FIELDS,
  numericIdOf,
  ORDER_FIELDS,
  restPayloadOf,
  SHIPPING_LINE_FIELDS,
  type GraphqlLineItem,
  type GraphqlOrder,
  type GraphqlShippingLine,
} from "~/domain/shopify-admin/graphql-order";
import { enqueueInboxEvents, insertInboxEvents } from "~/services/ingest/inbox.server";
import { AdminApiGraphqlError, type ShopifyAdminClient } from "~/services/shopify/admin-client.server";
import { bulkResultLines, runBulkQuery, type BulkOptions } from "~/services/shopify/bulk-operation.server";

/**
 * Above this many orders, one bulk operation beats paging. A page's calculated cost grows with every nested
 * `first` (a connection costs 2 + first × its node), and one query may cost at most 1,000 points: 5 orders of up
 * to 10 lines and 2 shipping lines stay near 630, so paging is for small ranges (the last hours, a missed webhook).
 */
export const BULK_THRESHOLD = 50;
const PAGE_SIZE = 5;
const LINES_PER_PAGE = 10;
/** Orders checked and inserted per statement. */
const BATCH = 500;

export type BackfillMode = "auto" | "bulk" | "pages";

export interface ShopifyBackfillDeps {
  db: Db;
  pool: Pool;
  queues: Queues;
  jobAttempts: number;
  client: ShopifyAdminClient;
  bulk?: BulkOptions;
  fetch?: typeof fetch;
}

export interface ShopifyBackfillRequest {
  shopId: string;
  shopDomain: string;
  since: Date;
  mode?: BackfillMode;
}

export interface ShopifyBackfillResult {
  shopDomain: string;
  since: string;
  mode: "bulk" | "pages";
  ordersSeen: number;
  /** Orders whose version was already stored (delivered by a webhook, or by an earlier run): not stored again. */
  alreadyStored: number;
  newEvents: number;
  bulkOperationId: string | null;
}

const searchQuery = (since: Date) => `updated_at:>='${since.toISOString()}'`;

const ORDERS_PAGE = `query BackfillOrders($query: String!, $first: Int!, $after: String) {
  orders(query: $query, first: $first, after: $after, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      ${ORDER_FIELDS}
      lineItems(first: ${LINES_PER_PAGE}) { pageInfo { hasNextPage } nodes { ${LINE_ITEM_FIELDS} } }
      shippingLines(first: 2) { nodes { ${SHIPPING_LINE_FIELDS} } }
    }
  }
}`;

const COUNT = `query BackfillCount($query: String!) { ordersCount(query: $query) { count precision } }`;

/** The bulk query: the same selection as a page, without pagination (bulk operations ignore it). */
export function bulkOrdersQuery(since: Date): string {
  return `{
  orders(query: "${searchQuery(since).replaceAll('"', '\\"')}", sortKey: UPDATED_AT) {
    edges { node {
      ${ORDER_FIELDS}
      lineItems { edges { node { ${LINE_ITEM_FIELDS} } } }
      shippingLines { edges { node { ${SHIPPING_LINE_FIELDS} } } }
    } }
  }
}`;
}

class NeedsBulk extends Error {}

/** Counts what a batch of orders did to the inbox. */
class Sink {
  readonly result: Omit<ShopifyBackfillResult, "mode" | "bulkOperationId">;
  private pending: GraphqlOrder[] = [];

  constructor(
    private readonly deps: ShopifyBackfillDeps,
    private readonly request: ShopifyBackfillRequest,
  ) {
    this.result = { shopDomain: request.shopDomain, since: request.since.toISOString(), ordersSeen: 0, alreadyStored: 0, newEvents: 0 };
  }

  async add(order: GraphqlOrder) {
    this.pending.push(order);
    if (this.pending.length >= BATCH) await this.flush();
  }

  async flush() {
    const orders = this.pending;
    this.pending = [];
    if (orders.length === 0) return;
    this.result.ordersSeen += orders.length;
    const versions = orders.map((order) => ({ id: numericIdOf(order.id) ?? order.id, updatedAt: new Date(order.updatedAt) }));
    const stored = await this.storedVersions(versions);
    const rows = [];
    for (const [index, order] of orders.entries()) {
      const version = versions[index]!;
      if (stored.has(version.id)) {
        this.result.alreadyStored++;
        continue;
      }
      rows.push({ eventKey: `backfill:${version.id}:${version.updatedAt.toISOString()}`, rawBody: JSON.stringify(restPayloadOf(order)) });
    }
    const ids = await insertInboxEvents(this.deps.pool, {
      shopId: this.request.shopId,
      connectionId: null,
      platform: "shopify",
      topic: "orders/updated",
      headers: { "x-shopify-topic": "orders/updated", "x-shopify-shop-domain": this.request.shopDomain, "x-upline-source": "backfill" },
      rows,
    });
    this.result.alreadyStored += rows.length - ids.length;
    this.result.newEvents += ids.length;
    await enqueueInboxEvents(this.deps.queues, ids, this.request.shopId, this.deps.jobAttempts);
  }

  /** The ids among these whose stored order is this version or newer. */
  private async storedVersions(versions: { id: string; updatedAt: Date }[]): Promise<Set<string>> {
    const { rows } = await this.deps.pool.query<{ id: string }>(
      `SELECT t.id FROM unnest($2::text[], $3::timestamptz[]) AS t(id, updated_at)
       JOIN "Order" o ON o."shopId" = $1::uuid AND o."platform" = 'shopify' AND o."platformOrderId" = t.id
       WHERE o."platformUpdatedAt" >= (t.updated_at AT TIME ZONE 'UTC')`,
      [this.request.shopId, versions.map((v) => v.id), versions.map((v) => v.updatedAt.toISOString())],
    );
    return new Set(rows.map((row) => row.id));
  }
}

interface PageOrder extends Omit<GraphqlOrder, "lineItems"> {
  lineItems: { pageInfo: { hasNextPage: boolean }; nodes: GraphqlLineItem[] };
  shippingLines: { nodes: GraphqlShippingLine[] };
}

async function pageThrough(deps: ShopifyBackfillDeps, request: ShopifyBackfillRequest, sink: Sink) {
  let after: string | null = null;
  for (;;) {
    let page: { data: { orders: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: PageOrder[] } } };
    try {
      page = await deps.client.graphql(request.shopDomain, ORDERS_PAGE, { query: searchQuery(request.since), first: PAGE_SIZE, after });
    } catch (error) {
      // A page Shopify prices above the single-query maximum: the bulk operation has no such limit.
      if (error instanceof AdminApiGraphqlError && error.errors.some((e) => (e as { extensions?: { code?: string } }).extensions?.code === "MAX_COST_EXCEEDED"))
        throw new NeedsBulk();
      throw error;
    }
    const { nodes, pageInfo } = page.data.orders;
    if (nodes.some((order) => order.lineItems.pageInfo.hasNextPage)) throw new NeedsBulk();
    for (const order of nodes) await sink.add(order);
    if (!pageInfo.hasNextPage || !pageInfo.endCursor) return;
    after = pageInfo.endCursor;
  }
}

async function bulkRead(deps: ShopifyBackfillDeps, request: ShopifyBackfillRequest, sink: Sink): Promise<string> {
  const operation = await runBulkQuery(deps.client, request.shopDomain, bulkOrdersQuery(request.since), deps.bulk);
  if (!operation.url) return operation.id;
  const assembler = new BulkOrderAssembler();
  for await (const line of bulkResultLines(operation.url, deps.fetch)) {
    const order = assembler.push(line);
    if (order) await sink.add(order);
  }
  const last = assembler.finish();
  if (last) await sink.add(last);
  return operation.id;
}

export async function backfillShopifyOrders(deps: ShopifyBackfillDeps, request: ShopifyBackfillRequest): Promise<ShopifyBackfillResult> {
  let mode: "bulk" | "pages" = request.mode === "bulk" ? "bulk" : "pages";
  if ((request.mode ?? "auto") === "auto") {
    const count = await deps.client.graphql<{ ordersCount: { count: number } }>(request.shopDomain, COUNT, { query: searchQuery(request.since) });
    mode = count.data.ordersCount.count > BULK_THRESHOLD ? "bulk" : "pages";
  }

  let sink = new Sink(deps, request);
  let bulkOperationId: string | null = null;
  if (mode === "pages") {
    try {
      await pageThrough(deps, request, sink);
    } catch (error) {
      if (!(error instanceof NeedsBulk)) throw error;
      // What was stored stays stored; the bulk run skips those versions and counts them as already stored.
      await sink.flush();
      mode = "bulk";
      sink = new Sink(deps, request);
    }
  }
  if (mode === "bulk") bulkOperationId = await bulkRead(deps, request, sink);
  await sink.flush();

  const result: ShopifyBackfillResult = { ...sink.result, mode, bulkOperationId };
  await deps.db.auditLog.create({
    data: {
      shopId: request.shopId,
      actor: "system:shopify-backfill",
      action: "shopify.orders_backfilled",
      entityType: "Shop",
      entityId: request.shopId,
      after: { ...result },
    },
  });
  return result;
}
