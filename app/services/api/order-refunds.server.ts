/**
 * Refunds and cancellations of orders taken by `POST /api/v1/orders`. Like the order itself they take the road
 * of a webhook: validated and resolved against the stored order here, stored in the inbox, applied by the
 * worker (the same storeRefund / reversal as a platform refund, the same cancellation as a cancelled order).
 * The inbox key is the caller's refund id (one cancellation per order), so the same refund sent twice, under
 * any Idempotency-Key, is stored and reversed once.
 */
import type { Pool } from "pg";
import type { Db } from "~/db.server";
import type { Queues } from "~/queues.server";
import { canonicalJson } from "~/domain/canonical-json";
import { normalizeApiOrder } from "~/domain/platforms/api-order";
import { apiCancelSchema, apiRefundSchema, normalizeApiRefund, resolveApiRefund, type ResolvedApiRefund } from "~/domain/platforms/api-refund";
import { parseJsonLossless } from "~/domain/platforms/json";
import { NormalizationError, type NormalizedEvent, type NormalizedOrder } from "~/domain/platforms/normalized";
import { ProblemError } from "~/services/http/problem.server";
import { enqueueInboxEvent, insertInboxEvent } from "~/services/ingest/inbox.server";
import { z } from "zod";
import { answered, type StoredResponse } from "./idempotency.server";
import { idJson } from "./response-atoms";

export const API_REFUND_TOPIC = "refunds/create";
export const API_CANCEL_TOPIC = "orders/cancelled";

export interface OrderChangeDeps {
  db: Db;
  pool: Pool;
  queues: Queues;
  jobAttempts: number;
}

function invalid(issues: readonly { field: string; message: string }[], detail: string): StoredResponse {
  return { status: 422, body: { type: "urn:upline:problem:validation-failed", title: "Validation failed", status: 422, detail, errors: issues } };
}

/** The API order named by our id or its platform order id; a 404 problem when there is none (yet). */
async function apiOrder(db: Db, shopId: string, ref: string) {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);
  const order = await db.order.findFirst({
    where: { shopId, platform: "api", ...(uuid ? { OR: [{ id: ref }, { platformOrderId: ref }] } : { platformOrderId: ref }) },
    select: { id: true, platformOrderId: true, currency: true, lines: { select: { platformLineId: true, quantity: true, netMinor: true } } },
  });
  // Thrown, not answered: the idempotency key is released, so a retry after the order is processed succeeds.
  if (!order) {
    throw new ProblemError({
      status: 404,
      type: "not-found",
      title: "Not found",
      detail: `No order ${ref} taken by POST /api/v1/orders (it may still be processing).`,
    });
  }
  return order;
}

async function store(deps: OrderChangeDeps, shopId: string, eventKey: string, topic: string, rawBody: string) {
  const { eventId, inserted } = await insertInboxEvent(deps.pool, {
    shopId,
    connectionId: null,
    platform: "api",
    eventKey,
    topic,
    headers: {},
    rawBody,
    triggeredAt: null,
  });
  if (inserted && eventId) await enqueueInboxEvent(deps.queues, eventId, shopId, deps.jobAttempts);
  const id = eventId ?? (await deps.db.webhookEvent.findFirstOrThrow({ where: { shopId, platform: "api", eventKey }, select: { id: true } })).id;
  return { eventId: id, duplicate: !inserted };
}

/** The 202 of a refund: the inbox event the worker applies (or the one already stored for this refund_id). */
export const apiRefundAcceptedSchema = z.strictObject({
  event_id: idJson,
  order_id: idJson,
  platform_order_id: z.string(),
  refund_id: z.string(),
  status: z.literal("accepted"),
  duplicate: z.boolean(),
});

/** The 202 of a cancellation (one per order: the same cancellation again is a duplicate). */
export const apiCancelAcceptedSchema = apiRefundAcceptedSchema.omit({ refund_id: true });

export async function createApiRefund(deps: OrderChangeDeps, shopId: string, orderRef: string, body: unknown): Promise<StoredResponse> {
  const parsed = apiRefundSchema.safeParse(body);
  if (!parsed.success) {
    return invalid(
      parsed.error.issues.map((issue) => ({ field: issue.path.join(".") || "(body)", message: issue.message })),
      "The refund has invalid or missing fields.",
    );
  }
  const order = await apiOrder(deps.db, shopId, orderRef);
  let resolved: ResolvedApiRefund;
  try {
    resolved = resolveApiRefund(parsed.data, order, new Date().toISOString());
  } catch (error) {
    if (!(error instanceof NormalizationError)) throw error;
    return invalid([{ field: error.field, message: error.message.slice(error.field.length + 2) }], "The refund does not fit the order.");
  }
  const { eventId, duplicate } = await store(deps, shopId, `refund:${order.platformOrderId}:${resolved.refund_id}`, API_REFUND_TOPIC, canonicalJson(resolved));
  return answered(apiRefundAcceptedSchema, 202, {
    event_id: eventId,
    order_id: order.id,
    platform_order_id: order.platformOrderId,
    refund_id: resolved.refund_id,
    status: "accepted",
    duplicate,
  });
}

export async function cancelApiOrder(deps: OrderChangeDeps, shopId: string, orderRef: string, body: unknown): Promise<StoredResponse> {
  const parsed = apiCancelSchema.safeParse(body ?? {});
  if (!parsed.success) {
    return invalid(
      parsed.error.issues.map((issue) => ({ field: issue.path.join(".") || "(body)", message: issue.message })),
      "The cancellation has invalid fields.",
    );
  }
  const order = await apiOrder(deps.db, shopId, orderRef);
  const cancelledAt = parsed.data.cancelled_at ? new Date(parsed.data.cancelled_at).toISOString() : new Date().toISOString();
  const rawBody = canonicalJson({ order_id: order.platformOrderId, cancelled_at: cancelledAt });
  const { eventId, duplicate } = await store(deps, shopId, `cancel:${order.platformOrderId}`, API_CANCEL_TOPIC, rawBody);
  return answered(apiCancelAcceptedSchema, 202, {
    event_id: eventId,
    order_id: order.id,
    platform_order_id: order.platformOrderId,
    status: "accepted",
    duplicate,
  });
}

/**
 * The worker's normalization of an `api` inbox row: an order (POST /api/v1/orders), a refund, or a
 * cancellation, which is the stored order again, cancelled at the given time (a later version, as a platform's
 * orders/cancelled is).
 */
export async function normalizeApiEvent(db: Db, event: { shopId: string; topic: string; rawBody: string; receivedAt: Date }): Promise<NormalizedEvent> {
  if (event.topic === API_REFUND_TOPIC) return normalizeApiRefund(JSON.parse(event.rawBody) as ResolvedApiRefund);
  if (event.topic !== API_CANCEL_TOPIC) return normalizeApiOrder(parseJsonLossless(event.rawBody), event.receivedAt.toISOString());
  const { order_id: platformOrderId, cancelled_at: cancelledAt } = JSON.parse(event.rawBody) as { order_id: string; cancelled_at: string };
  const order = await db.order.findUnique({
    where: { shopId_platform_platformOrderId: { shopId: event.shopId, platform: "api", platformOrderId } },
    select: { normalized: true },
  });
  if (!order) throw new NormalizationError("order_id", `no order ${platformOrderId} was taken`);
  const stored = orderFromJson(order.normalized);
  // Never older than the version it cancels: the stored-order upsert keeps the newest version.
  const updatedAt = cancelledAt > stored.updatedAt ? cancelledAt : stored.updatedAt;
  return { ...stored, status: "cancelled", updatedAt };
}

/** Order.normalized (bigints as strings) → NormalizedOrder. */
function orderFromJson(json: unknown): NormalizedOrder {
  const order = json as NormalizedOrder & Record<"shippingMinor" | "taxMinor" | "totalMinor", string>;
  return {
    ...order,
    shippingMinor: BigInt(order.shippingMinor),
    taxMinor: BigInt(order.taxMinor),
    totalMinor: BigInt(order.totalMinor),
    lines: order.lines.map((line) => ({
      ...line,
      unitPriceMinor: BigInt(line.unitPriceMinor as unknown as string),
      discountMinor: BigInt(line.discountMinor as unknown as string),
      taxMinor: BigInt(line.taxMinor as unknown as string),
    })),
  };
}
