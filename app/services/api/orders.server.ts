import { createHash } from "node:crypto";
import { z } from "zod";
import type { Pool } from "pg";
import type { Db } from "~/db.server";
import type { Queues } from "~/queues.server";
import { apiOrderId, apiOrderSchema, normalizeApiOrder } from "~/domain/platforms/api-order";
import { NormalizationError } from "~/domain/platforms/normalized";
import { validationProblem } from "~/services/http/problem.server";
import { canonicalJson } from "~/domain/canonical-json";
import { enqueueInboxEvent, insertInboxEvent } from "~/services/ingest/inbox.server";
import { answered, storedProblem, type StoredResponse } from "./idempotency.server";

/** The 202 body: the inbox event that will be processed (or the one already stored for this very body). */
export const apiOrderAcceptedSchema = z.strictObject({
  event_id: z.uuid(),
  platform_order_id: z.string(),
  status: z.literal("accepted"),
  duplicate: z.boolean(),
});

export interface CreateOrderDeps {
  db: Db;
  pool: Pool;
  queues: Queues;
  jobAttempts: number;
}

/**
 * The seed API takes the same road as a webhook: validated here, stored in the inbox, computed by the worker.
 * The inbox key is the body's hash, so the same order posted under two idempotency keys is still stored once.
 * Validation runs the worker's own normalizer, so a 202 is only given to an order the worker can process.
 */
export async function createApiOrder(deps: CreateOrderDeps, shopId: string, body: unknown): Promise<StoredResponse> {
  const parsed = apiOrderSchema.safeParse(body);
  if (!parsed.success) return storedProblem(validationProblem(422, parsed.error.issues, "The order has invalid or missing fields."));
  try {
    normalizeApiOrder(body, new Date().toISOString());
  } catch (error) {
    if (!(error instanceof NormalizationError)) throw error;
    return storedProblem(validationProblem(422, [{ path: [error.field], message: error.message }], "The order cannot be processed."));
  }
  const canonical = canonicalJson(body);
  const { eventId, inserted } = await insertInboxEvent(deps.pool, {
    shopId,
    connectionId: null,
    platform: "api",
    eventKey: `sha256:${createHash("sha256").update(canonical).digest("hex")}`,
    topic: "orders/create",
    headers: {},
    rawBody: canonical,
    triggeredAt: null,
  });
  if (inserted && eventId) await enqueueInboxEvent(deps.queues, eventId, shopId, deps.jobAttempts);
  const existing =
    eventId ?? (await deps.db.webhookEvent.findFirstOrThrow({ where: { shopId, platform: "api", rawBody: canonical }, select: { id: true } })).id;
  return answered(apiOrderAcceptedSchema, 202, { event_id: existing, platform_order_id: apiOrderId(parsed.data), status: "accepted", duplicate: !inserted });
}
