import { createHash } from "node:crypto";
import type { Pool } from "pg";
import type { Db } from "~/db.server";
import type { Queues } from "~/queues.server";
import type { PlatformAdapter } from "~/domain/platforms/adapter";
import type { Platform } from "~/domain/platforms/normalized";
import { checkShopifyDelivery } from "~/domain/platforms/shopify-delivery";
import { checkShopClaim } from "~/domain/platforms/shopify-shop-claim";
import { NormalizationError } from "~/domain/platforms/normalized";
import { isWooCommercePing } from "~/domain/platforms/woocommerce";
import { adapterFor } from "~/domain/platforms/registry";
import { logger } from "~/logger.server";
import { problem, ProblemError } from "~/services/http/problem.server";
import { readBodyWithLimit, type IncomingBody } from "~/services/http/read-body.server";
import type { HeaderSource } from "~/domain/platforms/headers";
import { insertInboxEvent, type InboxDelivery } from "./inbox.server";
import { storeInboxEvent } from "./inbox-group-commit.server";
import { ackSeconds, deliveries } from "~/services/metrics/metrics.server";
import { forgetShopDomain, shopIdForDomain } from "./shop-cache.server";
import { acceptedSecrets, connectionForIngest, forgetConnection, reloadConnectionAfterMismatch, type IngestConnection } from "./connection-cache.server";

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

const unknownShop = () =>
  problem({
    status: 404,
    type: "unknown-shop",
    title: "Unknown shop",
    detail: "No installed shop has this domain; a shop is added by installing the app, never by a webhook.",
  });

/**
 * The parsed body for reading its topic, or undefined when it is not JSON. Native JSON.parse is enough here:
 * no id is read from it; the worker's normalizer parses ids losslessly. A UTF-8 byte-order mark (some PHP
 * stacks emit one before WooCommerce's JSON) is not part of the JSON: skipped, as the worker's parser does.
 */
function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return undefined;
  }
}

const MALFORMED_BODY = { type: "malformed-body", title: "Malformed body" };
const UNIDENTIFIABLE = { type: "missing-headers", title: "Missing headers" };

/**
 * A signed delivery that can never be processed (not JSON, a required header missing): kept as rejected with
 * the reason, for the operator (WooCommerce never delivers again), and answered 400, a permanent error and
 * not a 5xx that would read as "try later". PostgreSQL text cannot hold NUL: those are kept as U+FFFD.
 */
async function recordRejected(
  deps: IngestDeps,
  delivery: Omit<InboxDelivery, "eventKey" | "topic">,
  topic: string | null,
  reason: string,
  kind: { type: string; title: string } = MALFORMED_BODY,
) {
  const eventKey = `rejected:${createHash("sha256").update(delivery.rawBody).digest("hex")}`;
  const hasNul = delivery.rawBody.includes("\u0000");
  const rawBody = hasNul ? delivery.rawBody.replaceAll("\u0000", "\ufffd") : delivery.rawBody;
  const lastError = hasNul ? `${reason} (the body holds NUL bytes, kept as U+FFFD)` : reason;
  try {
    await insertInboxEvent(deps.pool, { ...delivery, rawBody, eventKey, topic: topic ?? "unknown", status: "rejected", lastError });
  } catch (error) {
    logger.error({ platform: delivery.platform, err: error instanceof Error ? error.message : String(error) }, "inbox insert of a rejected delivery failed");
    return storageUnavailable();
  }
  logger.warn({ platform: delivery.platform, shopId: delivery.shopId, topic, reason: lastError }, "rejected a signed delivery");
  return problem({ status: 400, ...kind, detail: `${lastError[0]!.toUpperCase()}${lastError.slice(1)}.` });
}

/** PostgreSQL's foreign_key_violation: the row's shop (or connection) is gone since it was cached. */
const isMissingParent = (error: unknown) => (error as { code?: unknown } | null)?.code === "23503";

type Stored = "stored" | "parent-gone" | Response;

async function store(deps: IngestDeps, delivery: InboxDelivery): Promise<Stored> {
  try {
    // Committed (with the deliveries that arrived beside it) and enqueued when new, before the 200.
    const { eventId, inserted } = await storeInboxEvent(deps.pool, deps.queues, delivery, deps.jobAttempts);
    // The inbox event id is the thread from here to the worker's line (and the BullMQ job id).
    logger.info(
      { eventId, shopId: delivery.shopId, platform: delivery.platform, topic: delivery.topic, eventKey: delivery.eventKey, duplicate: !inserted },
      "delivery stored",
    );
    return "stored";
  } catch (error) {
    if (isMissingParent(error)) return "parent-gone";
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

/** Counts the answer by platform, topic (known topics only: the header is the sender's) and status. */
function observed(platform: string, run: (seen: { topic: string | null }) => Promise<Response>): Promise<Response> {
  const started = performance.now();
  const seen: { topic: string | null } = { topic: null };
  return run(seen).then((response) => {
    const adapter = adapterFor(platform);
    const topic = seen.topic && adapter && adapter.classifyTopic(seen.topic) !== "ignored" ? seen.topic.trim().toLowerCase() : "other";
    const label = adapter ? adapter.platform : "unknown";
    deliveries.inc({ platform: label, topic, status: String(response.status) });
    ackSeconds.observe({ platform: label }, (performance.now() - started) / 1000);
    return response;
  });
}

/** POST /ingest/shopify: the app secret's HMAC and Shopify's delivery headers, keyed on X-Shopify-Webhook-Id. */
export function ingestShopify(request: IncomingDelivery, deps: ShopifyIngestDeps): Promise<Response> {
  return observed("shopify", (seen) =>
    guarded(async () => {
      const raw = await readBodyWithLimit(request, deps.maxBodyBytes);
      const headers = request.headers;
      const check = checkShopifyDelivery(headers, raw, [deps.apiSecret]);
      if (check.ok) seen.topic = check.topic;
      if (!check.ok && check.reason === "invalid_hmac") return unauthorized();
      if (!check.ok) {
        return problem({
          status: 400,
          type: "missing-headers",
          title: "Missing headers",
          detail: `Shopify deliveries carry ${check.missing.join(", ")}.`,
          missing: check.missing,
        });
      }

      const rawBody = raw.toString("utf8");
      const body = parseOrUndefined(rawBody);
      // The signature covers the body only: a topic that acts on a shop must name that shop in its body.
      const claim = body === undefined ? ({ ok: true } as const) : checkShopClaim(check.topic, check.shop, body);
      if (!claim.ok) {
        logger.warn(
          { shop: check.shop, topic: check.topic, bodyShop: claim.bodyShop, reason: claim.reason },
          "refused a delivery whose body names another shop",
        );
        return problem({
          status: 400,
          type: "shop-mismatch",
          title: "Shop mismatch",
          detail: `A ${check.topic} delivery's body must name the shop of its X-Shopify-Shop-Domain header.`,
        });
      }

      // Looked up, never created; once more when the cached id turns out to be gone (erased, maybe reinstalled).
      for (let lookup = 0; lookup < 2; lookup++) {
        let shopId: string | null;
        try {
          shopId = await shopIdForDomain(deps.db, check.shop);
        } catch {
          return storageUnavailable();
        }
        if (!shopId) {
          logger.warn({ shop: check.shop, topic: check.topic }, "refused a delivery for a shop that is not installed");
          return unknownShop();
        }
        const base = { shopId, connectionId: null, platform: "shopify" as const, headers: keptHeaders(headers), rawBody };
        if (body === undefined) return await recordRejected(deps, { ...base, triggeredAt: null }, check.topic, "the body is not valid JSON");

        const stored = await store(deps, {
          ...base,
          eventKey: check.webhookId,
          topic: check.topic,
          triggeredAt: check.triggeredAt && !Number.isNaN(Date.parse(check.triggeredAt)) ? new Date(check.triggeredAt) : null,
        });
        if (stored === "stored") return new Response(null, { status: 200 });
        if (stored !== "parent-gone") return stored;
        forgetShopDomain(check.shop);
      }
      return unknownShop();
    }),
  );
}

function successBody(platform: Platform): Response {
  // Adobe Commerce's synchronous webhooks expect this exact answer; the other senders only read the status.
  return platform === "magento" ? Response.json({ op: "success" }) : new Response(null, { status: 200 });
}

/** POST /ingest/:platform/:connectionId — WooCommerce and Magento stores, each with its own secret. */
export function ingestForConnection(request: IncomingDelivery, platform: string, connectionId: string, deps: IngestDeps): Promise<Response> {
  return observed(platform, (seen) =>
    guarded(async () => {
      const adapter: PlatformAdapter | null = platform === "shopify" ? null : adapterFor(platform);
      if (!adapter) return notFound(`No platform "${platform}" takes deliveries on a connection.`);
      let connection: IngestConnection | null;
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

      const verifies = (candidate: IngestConnection) =>
        adapter.verifyDelivery(headers, raw, { secrets: acceptedSecrets(candidate), publicKeysPem: candidate.publicKeysPem });
      if (!verifies(connection)) {
        // The secret may have been rotated since it was cached: read it again once before refusing.
        const reloaded = await reloadConnectionAfterMismatch(deps.db, connection.id).catch(() => null);
        if (!reloaded || reloaded.platform !== adapter.platform || !verifies(reloaded)) return unauthorized();
        connection = reloaded;
      }
      if (connection.status !== "active") {
        return problem({ status: 403, type: "connection-disabled", title: "Connection disabled", detail: "The merchant disabled this store connection." });
      }

      const rawBody = raw.toString("utf8");
      const body = parseOrUndefined(rawBody);
      seen.topic = adapter.topicOf(headers, body ?? null);
      const base = {
        shopId: connection.shopId,
        connectionId: connection.id,
        platform: adapter.platform,
        headers: keptHeaders(headers),
        rawBody,
        triggeredAt: null,
      };
      if (body === undefined) return await recordRejected(deps, base, adapter.topicOf(headers, null), "the body is not valid JSON");

      let eventKey: string;
      try {
        eventKey = adapter.eventKey(headers, raw);
      } catch (error) {
        // A delivery that cannot be keyed (WooCommerce without its topic header) can never be processed either.
        if (!(error instanceof NormalizationError)) throw error;
        return await recordRejected(deps, base, adapter.topicOf(headers, body), `cannot identify the event: ${error.message}`, UNIDENTIFIABLE);
      }
      const stored = await store(deps, { ...base, eventKey, topic: adapter.topicOf(headers, body) ?? "unknown" });
      if (stored === "stored") return successBody(adapter.platform);
      if (stored !== "parent-gone") return stored;
      forgetConnection(connection.id);
      return notFound(`No ${platform} connection ${connectionId}.`);
    }),
  );
}
