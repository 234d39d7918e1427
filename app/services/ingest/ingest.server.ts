import { createHash } from "node:crypto";
import type { Pool } from "pg";
import type { Db } from "~/db.server";
import type { Queues } from "~/queues.server";
import type { PlatformAdapter } from "~/domain/platforms/adapter";
import type { Platform } from "~/domain/platforms/normalized";
import { checkShopifyDelivery } from "~/domain/platforms/shopify-delivery";
import { isWooCommercePing } from "~/domain/platforms/woocommerce";
import { adapterFor } from "~/domain/platforms/registry";
import { logger } from "~/logger.server";
import { problem, ProblemError } from "~/services/http/problem.server";
import { readBodyWithLimit, type IncomingBody } from "~/services/http/read-body.server";
import type { HeaderSource } from "~/domain/platforms/headers";
import { enqueueInboxEvent, insertInboxEvent, type InboxDelivery } from "./inbox.server";
import { shopIdForDomain } from "./shop-cache.server";
import { connectionForIngest } from "./connection-cache.server";

export interface IngestDeps {
  db: Db;
  pool: Pool;
  queues: Queues;
  maxBodyBytes: number;
  jobAttempts: number;
}

export interface ShopifyIngestDeps extends IngestDeps {
  apiSecret: string;
}

/** Headers worth keeping with the event for audit and replay; never credentials. */
const KEPT_HEADER = /^(x-shopify-|x-wc-webhook-|x-adobe-|x-upline-|x-magento-|content-type$|user-agent$)/i;

function keptHeaders(headers: HeaderSource): Record<string, string> {
  const kept: Record<string, string> = {};
  const entries: Iterable<[string, unknown]> = headers instanceof Headers ? headers.entries() : Object.entries(headers);
  for (const [name, value] of entries) {
    if (KEPT_HEADER.test(name) && !/signature|hmac/i.test(name)) kept[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return kept;
}

/** A delivery as the route sees it: a Fetch Request (Remix) or a Node request (the Express fast path). */
export type IncomingDelivery = IncomingBody;

const notFound = (detail: string) => problem({ status: 404, type: "not-found", title: "Not found", detail });
const unauthorized = () =>
  problem({ status: 401, type: "invalid-signature", title: "Invalid signature", detail: "The delivery's signature does not match its body." });
const storageUnavailable = () =>
  problem(
    { status: 503, type: "storage-unavailable", title: "Storage unavailable", detail: "The event could not be stored; deliver it again." },
    { "Retry-After": "5" },
  );

/**
 * The parsed body for reading its topic, or undefined when it is not JSON. Native JSON.parse is enough here:
 * no id is read from it; the worker's normalizer parses ids losslessly.
 */
function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A body that is signed but not JSON: kept as rejected (for the operator), answered 400. */
async function recordRejected(deps: IngestDeps, delivery: Omit<InboxDelivery, "eventKey" | "topic">, topic: string | null) {
  const eventKey = `rejected:${createHash("sha256").update(delivery.rawBody).digest("hex")}`;
  try {
    await insertInboxEvent(deps.pool, { ...delivery, eventKey, topic: topic ?? "unknown", status: "rejected", lastError: "malformed JSON body" });
  } catch {
    return storageUnavailable();
  }
  logger.warn({ platform: delivery.platform, shopId: delivery.shopId, topic }, "rejected a signed delivery with a malformed body");
  return problem({ status: 400, type: "malformed-body", title: "Malformed body", detail: "The body is not valid JSON." });
}

async function store(deps: IngestDeps, delivery: InboxDelivery): Promise<Response | null> {
  try {
    const { eventId, inserted } = await insertInboxEvent(deps.pool, delivery);
    if (inserted && eventId) await enqueueInboxEvent(deps.queues, eventId, delivery.shopId, deps.jobAttempts);
    return null;
  } catch (error) {
    logger.error({ platform: delivery.platform, err: error }, "inbox insert failed");
    return storageUnavailable();
  }
}

async function guarded(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ProblemError) return error.toResponse();
    if (error instanceof Response) return error;
    throw error;
  }
}

/** POST /ingest/shopify: the app secret's HMAC and Shopify's delivery headers, keyed on X-Shopify-Webhook-Id. */
export function ingestShopify(request: IncomingDelivery, deps: ShopifyIngestDeps): Promise<Response> {
  return guarded(async () => {
    const raw = await readBodyWithLimit(request, deps.maxBodyBytes);
    const headers = request.headers;
    const check = checkShopifyDelivery(headers, raw, [deps.apiSecret]);
    if (!check.ok && check.reason === "invalid_hmac") return unauthorized();
    if (!check.ok) {
      return problem({ status: 400, type: "missing-headers", title: "Missing headers", detail: `Shopify deliveries carry ${check.missing.join(", ")}.`, missing: check.missing });
    }

    let shopId: string;
    try {
      shopId = await shopIdForDomain(deps.db, check.shop);
    } catch {
      return storageUnavailable();
    }
    const rawBody = raw.toString("utf8");
    const base = { shopId, connectionId: null, platform: "shopify" as const, headers: keptHeaders(headers), rawBody };
    if (parseOrUndefined(rawBody) === undefined) return await recordRejected(deps, { ...base, triggeredAt: null }, check.topic);

    const failure = await store(deps, {
      ...base,
      eventKey: check.webhookId,
      topic: check.topic,
      triggeredAt: check.triggeredAt && !Number.isNaN(Date.parse(check.triggeredAt)) ? new Date(check.triggeredAt) : null,
    });
    return failure ?? new Response(null, { status: 200 });
  });
}


function successBody(platform: Platform): Response {
  // Adobe Commerce's synchronous webhooks expect this exact answer; the other senders only read the status.
  return platform === "magento" ? Response.json({ op: "success" }) : new Response(null, { status: 200 });
}

/** POST /ingest/:platform/:connectionId — WooCommerce and Magento stores, each with its own secret. */
export function ingestForConnection(request: IncomingDelivery, platform: string, connectionId: string, deps: IngestDeps): Promise<Response> {
  return guarded(async () => {
    const adapter: PlatformAdapter | null = platform === "shopify" ? null : adapterFor(platform);
    if (!adapter) return notFound(`No platform "${platform}" takes deliveries on a connection.`);
    let connection;
    try {
      connection = await connectionForIngest(deps.db, connectionId);
    } catch {
      return storageUnavailable();
    }
    if (!connection || connection.platform !== adapter.platform) return notFound(`No ${platform} connection ${connectionId}.`);

    const raw = await readBodyWithLimit(request, deps.maxBodyBytes);
    const headers = request.headers;
    // WooCommerce checks a new webhook with an unsigned `webhook_id=N` form post and wants exactly 200.
    if (adapter.platform === "woocommerce" && isWooCommercePing(raw)) return new Response(null, { status: 200 });

    const credentials = { secrets: [connection.webhookSecret], publicKeysPem: connection.publicKeysPem };
    if (!adapter.verifyDelivery(headers, raw, credentials)) return unauthorized();
    if (connection.status !== "active") {
      return problem({ status: 403, type: "connection-disabled", title: "Connection disabled", detail: "The merchant disabled this store connection." });
    }

    const rawBody = raw.toString("utf8");
    const body = parseOrUndefined(rawBody);
    const base = { shopId: connection.shopId, connectionId: connection.id, platform: adapter.platform, headers: keptHeaders(headers), rawBody, triggeredAt: null };
    if (body === undefined) return await recordRejected(deps, base, adapter.topicOf(headers, null));

    const failure = await store(deps, { ...base, eventKey: adapter.eventKey(headers, raw), topic: adapter.topicOf(headers, body) ?? "unknown" });
    return failure ?? successBody(adapter.platform);
  });
}
