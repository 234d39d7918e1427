import { createHash } from "node:crypto";
import type { Db } from "~/db.server";
import type { Queues } from "~/queues.server";
import type { PlatformAdapter } from "~/domain/platforms/adapter";
import type { Platform } from "~/domain/platforms/normalized";
import { parseJsonLossless } from "~/domain/platforms/json";
import { readHeader } from "~/domain/platforms/headers";
import { verifyHmacSha256Base64 } from "~/domain/platforms/signatures";
import { isWooCommercePing } from "~/domain/platforms/woocommerce";
import { adapterFor } from "~/domain/platforms/registry";
import { logger } from "~/logger.server";
import { problem, ProblemError } from "~/services/http/problem.server";
import { readBodyWithLimit } from "~/services/http/read-body.server";
import { enqueueInboxEvent, insertInboxEvent, type InboxDelivery } from "./inbox.server";
import { shopIdForDomain } from "./shop-cache.server";
import { connectionForIngest } from "./connection-cache.server";

export interface IngestDeps {
  db: Db;
  queues: Queues;
  maxBodyBytes: number;
  jobAttempts: number;
}

export interface ShopifyIngestDeps extends IngestDeps {
  apiSecret: string;
  /** `authenticate.webhook` from shopify.server: checks the HMAC and headers, throws a Response when they fail. */
  authenticateWebhook(request: Request): Promise<{ shop: string }>;
}

/** Headers worth keeping with the event for audit and replay; never credentials. */
const KEPT_HEADER = /^(x-shopify-|x-wc-webhook-|x-adobe-|x-upline-|x-magento-|content-type$|user-agent$)/i;

function keptHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (KEPT_HEADER.test(name) && !/signature|hmac/i.test(name)) kept[name.toLowerCase()] = value;
  });
  return kept;
}

const notFound = (detail: string) => problem({ status: 404, type: "not-found", title: "Not found", detail });
const unauthorized = () =>
  problem({ status: 401, type: "invalid-signature", title: "Invalid signature", detail: "The delivery's signature does not match its body." });
const storageUnavailable = () =>
  problem(
    { status: 503, type: "storage-unavailable", title: "Storage unavailable", detail: "The event could not be stored; deliver it again." },
    { "Retry-After": "5" },
  );

function parseOrNull(text: string): unknown | undefined {
  try {
    return parseJsonLossless(text);
  } catch {
    return undefined;
  }
}

/** A body that is signed but not JSON: kept as rejected (for the operator), answered 400. */
async function recordRejected(deps: IngestDeps, delivery: Omit<InboxDelivery, "eventKey" | "topic">, topic: string | null) {
  const eventKey = `rejected:${createHash("sha256").update(delivery.rawBody).digest("hex")}`;
  try {
    await insertInboxEvent(deps.db, { ...delivery, eventKey, topic: topic ?? "unknown", status: "rejected", lastError: "malformed JSON body" });
  } catch {
    return storageUnavailable();
  }
  logger.warn({ platform: delivery.platform, shopId: delivery.shopId, topic }, "rejected a signed delivery with a malformed body");
  return problem({ status: 400, type: "malformed-body", title: "Malformed body", detail: "The body is not valid JSON." });
}

async function store(deps: IngestDeps, delivery: InboxDelivery): Promise<Response | null> {
  try {
    const { eventId, inserted } = await insertInboxEvent(deps.db, delivery);
    if (inserted && eventId) await enqueueInboxEvent(deps.queues, eventId, delivery.shopId, deps.jobAttempts);
    return null;
  } catch (error) {
    logger.error({ platform: delivery.platform, err: error instanceof Error ? error.message : String(error) }, "inbox insert failed");
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

/** POST /ingest/shopify: verified by `authenticate.webhook` with the app secret, keyed on X-Shopify-Webhook-Id. */
export function ingestShopify(request: Request, deps: ShopifyIngestDeps): Promise<Response> {
  return guarded(async () => {
    const raw = await readBodyWithLimit(request, deps.maxBodyBytes);
    const rawBody = raw.toString("utf8");
    const headers = request.headers;
    const shopDomain = readHeader(headers, "x-shopify-shop-domain");
    const topic = readHeader(headers, "x-shopify-topic");

    if (parseOrNull(rawBody) === undefined) {
      if (!verifyHmacSha256Base64(raw, [deps.apiSecret], readHeader(headers, "x-shopify-hmac-sha256")) || !shopDomain) {
        return unauthorized();
      }
      let shopId: string;
      try {
        shopId = await shopIdForDomain(deps.db, shopDomain);
      } catch {
        return storageUnavailable();
      }
      return await recordRejected(deps, { shopId, connectionId: null, platform: "shopify", headers: keptHeaders(headers), rawBody, triggeredAt: null }, topic);
    }

    let shop: string;
    try {
      ({ shop } = await deps.authenticateWebhook(new Request(request.url, { method: "POST", headers, body: new Uint8Array(raw) })));
    } catch (error) {
      if (error instanceof Response) throw error;
      // Past the signature check, authenticate.webhook reads the shop's session: a database outage lands here.
      logger.error({ err: error instanceof Error ? error.message : String(error) }, "webhook authentication failed");
      return storageUnavailable();
    }
    const adapter = adapterFor("shopify");
    const triggeredAt = readHeader(headers, "x-shopify-triggered-at");
    let shopId: string;
    try {
      shopId = await shopIdForDomain(deps.db, shop);
    } catch {
      return storageUnavailable();
    }
    const failure = await store(deps, {
      shopId,
      connectionId: null,
      platform: "shopify",
      eventKey: adapter.eventKey(headers, raw),
      topic: topic ?? "unknown",
      headers: keptHeaders(headers),
      rawBody,
      triggeredAt: triggeredAt && !Number.isNaN(Date.parse(triggeredAt)) ? new Date(triggeredAt) : null,
    });
    return failure ?? new Response(null, { status: 200 });
  });
}

function successBody(platform: Platform): Response {
  // Adobe Commerce's synchronous webhooks expect this exact answer; the other senders only read the status.
  return platform === "magento" ? Response.json({ op: "success" }) : new Response(null, { status: 200 });
}

/** POST /ingest/:platform/:connectionId — WooCommerce and Magento stores, each with its own secret. */
export function ingestForConnection(request: Request, platform: string, connectionId: string, deps: IngestDeps): Promise<Response> {
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
    const body = parseOrNull(rawBody);
    const base = { shopId: connection.shopId, connectionId: connection.id, platform: adapter.platform, headers: keptHeaders(headers), rawBody, triggeredAt: null };
    if (body === undefined) return await recordRejected(deps, base, adapter.topicOf(headers, null));

    const failure = await store(deps, { ...base, eventKey: adapter.eventKey(headers, raw), topic: adapter.topicOf(headers, body) ?? "unknown" });
    return failure ?? successBody(adapter.platform);
  });
}
