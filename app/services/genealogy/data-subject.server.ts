/**
 * Data-subject requests for distributors (GDPR access and erasure; Shopify's mandatory customers/data_request
 * and customers/redact webhooks).
 *
 * Export: everything held on one person as one JSON document (profile, customer references, sponsor and
 * placement edges, moves, statuses, ranks, orders attributed to them or placed by them, ledger entries), stored
 * in DistributorDataExport for the merchant to fetch (GET /api/v1/distributors/:id/export).
 *
 * Redaction: personal fields are cleared (name, e-mail, external id, a vanity referral code, platform customer
 * references, stored exports) and the person's orders lose their personal fields (customerEmail, customer id,
 * the customer in the normalized copy, and the raw webhook bodies they came from). The distributor row stays,
 * as the pseudonymous id the tree and the append-only ledger point at, so every amount and total is unchanged.
 */
import type { Prisma } from "~/generated/prisma/client";
import { generateReferralCode, isGeneratedReferralCode } from "~/domain/genealogy/referral-code";
import { parseJsonLossless } from "~/domain/platforms/json";
import type { Platform } from "~/domain/platforms/normalized";
import { inTransaction, type DbOrTx, type Tx } from "~/db/tx.server";
import { GenealogyServiceError } from "./errors.server";

const REDACTED_BODY = '{"redacted":true}';

/** JSON-safe: bigints as decimal strings, dates as ISO strings. */
function plain(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? item.toString() : item))) as Prisma.InputJsonValue;
}

export async function exportDistributorData(client: DbOrTx, shopId: string, distributorId: string) {
  const profile = await client.distributor.findFirst({ where: { shopId, id: distributorId } });
  if (!profile) throw new GenealogyServiceError("unknown_distributor", `no distributor ${distributorId} in this shop`);
  const where = { shopId, distributorId };
  const [customerRefs, sponsorEdges, placementEdges, moves, statuses, ranks, volumes, postings] = await Promise.all([
    client.distributorCustomerRef.findMany({ where, orderBy: { createdAt: "asc" } }),
    client.sponsorEdge.findMany({ where, orderBy: { validFrom: "asc" } }),
    client.placementEdge.findMany({ where, orderBy: { validFrom: "asc" } }),
    client.genealogyMove.findMany({ where, orderBy: { effectiveFrom: "asc" } }),
    client.distributorStatusPeriod.findMany({ where, orderBy: { validFrom: "asc" } }),
    client.distributorRankPeriod.findMany({ where, orderBy: { periodStart: "asc" } }),
    client.periodVolume.findMany({ where, orderBy: { periodStart: "asc" } }),
    client.ledgerPosting.findMany({
      where,
      orderBy: { id: "asc" },
      select: {
        id: true,
        account: true,
        accountKind: true,
        currency: true,
        amountMinor: true,
        createdAt: true,
        transaction: { select: { id: true, kind: true, occurredAt: true, orderId: true } },
      },
    }),
  ]);
  const attributed = await client.commission.findMany({ where: { shopId, attributedDistributorId: distributorId }, select: { orderId: true } });
  const ownOrders = await ordersOfCustomer(client, shopId, customerRefs, profile.email);
  const orderIds = [...new Set([...attributed.map((row) => row.orderId), ...ownOrders])];
  const orders = await client.order.findMany({
    where: { shopId, id: { in: orderIds } },
    orderBy: { orderedAt: "asc" },
    select: {
      id: true,
      platform: true,
      platformOrderId: true,
      orderNumber: true,
      orderedAt: true,
      status: true,
      currency: true,
      customerPlatformId: true,
      customerEmail: true,
      referralCode: true,
      totalMinor: true,
    },
  });
  return plain({
    generatedAt: new Date(),
    profile,
    customerRefs,
    sponsorEdges,
    placementEdges,
    moves,
    statuses,
    ranks,
    volumes,
    // An order someone else placed under this person's code is theirs to see, but the buyer is not.
    orders: orders.map(({ customerEmail, customerPlatformId, ...order }) =>
      ownOrders.includes(order.id) ? { ...order, customerEmail, customerPlatformId, relation: "placed" } : { ...order, relation: "attributed" },
    ),
    ledgerEntries: postings,
  });
}

/** Builds the export and stores it for the merchant; a redelivered webhook (same source event) stores nothing twice. */
export function storeDistributorExport(client: DbOrTx, shopId: string, distributorId: string, requestedBy: string, sourceEventId: string | null = null) {
  return inTransaction(client, async (tx) => {
    const payload = await exportDistributorData(tx, shopId, distributorId);
    const rows = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "DistributorDataExport" ("shopId", "distributorId", "requestedBy", "sourceEventId", "payload")
      VALUES (${shopId}::uuid, ${distributorId}::uuid, ${requestedBy}, ${sourceEventId}::uuid, ${JSON.stringify(payload)}::jsonb)
      ON CONFLICT DO NOTHING RETURNING "id"`;
    const id = rows[0]?.id ?? (await tx.distributorDataExport.findFirstOrThrow({ where: { shopId, sourceEventId }, select: { id: true } })).id;
    await tx.auditLog.create({
      data: { shopId, actor: requestedBy, action: "distributor.data_exported", entityType: "Distributor", entityId: distributorId, after: { exportId: id } },
    });
    return { exportId: id };
  });
}

/** The latest stored export of one distributor, or null. */
export function latestDistributorExport(client: DbOrTx, shopId: string, distributorId: string) {
  return client.distributorDataExport.findFirst({
    where: { shopId, distributorId },
    orderBy: { createdAt: "desc" },
    select: { id: true, requestedBy: true, createdAt: true, payload: true },
  });
}

async function ordersOfCustomer(client: DbOrTx, shopId: string, refs: readonly { platform: Platform; platformCustomerId: string }[], email: string | null) {
  const or: Prisma.OrderWhereInput[] = refs.map((ref) => ({ platform: ref.platform, customerPlatformId: ref.platformCustomerId }));
  if (email) or.push({ customerEmail: { equals: email, mode: "insensitive" } });
  if (or.length === 0) return [];
  const rows = await client.order.findMany({ where: { shopId, OR: or }, select: { id: true } });
  return rows.map((row) => row.id);
}

export interface CustomerRedaction {
  readonly platform: Platform;
  readonly customerId: string | null;
  readonly email: string | null;
  /** Platform order ids the request names (Shopify's orders_to_redact). */
  readonly platformOrderIds?: readonly string[];
  readonly actor: string;
  readonly reason?: string;
}

/**
 * Redacts one person: the distributor their customer account or e-mail belongs to (if any) and every order they
 * placed, even when they were never a distributor. Idempotent: a second run finds nothing personal left.
 */
export function redactCustomer(client: DbOrTx, shopId: string, request: CustomerRedaction) {
  return inTransaction(client, async (tx) => {
    const distributorIds = await distributorsOf(tx, shopId, request.platform, request.customerId, request.email);
    let redactedOrders = 0;
    for (const distributorId of distributorIds) redactedOrders += (await redactDistributorIn(tx, shopId, distributorId, request)).redactedOrders;
    const orderWhere: Prisma.OrderWhereInput[] = [];
    if (request.customerId) orderWhere.push({ platform: request.platform, customerPlatformId: request.customerId });
    if (request.email) orderWhere.push({ customerEmail: { equals: request.email, mode: "insensitive" } });
    if (request.platformOrderIds?.length) orderWhere.push({ platform: request.platform, platformOrderId: { in: [...request.platformOrderIds] } });
    if (orderWhere.length > 0) {
      const orders = await tx.order.findMany({ where: { shopId, OR: orderWhere }, select: { id: true } });
      redactedOrders += await redactOrders(
        tx,
        shopId,
        orders.map((order) => order.id),
      );
    }
    return { distributorIds, redactedOrders };
  });
}

/** Redacts one distributor by id (an admin or API action). */
export function redactDistributor(client: DbOrTx, shopId: string, distributorId: string, actor: string, reason?: string) {
  return inTransaction(client, (tx) => redactDistributorIn(tx, shopId, distributorId, { actor, reason }));
}

async function redactDistributorIn(tx: Tx, shopId: string, distributorId: string, request: { actor: string; reason?: string }) {
  const row = await tx.distributor.findFirst({ where: { shopId, id: distributorId }, select: { code: true, email: true } });
  if (!row) throw new GenealogyServiceError("unknown_distributor", `no distributor ${distributorId} in this shop`);
  const refs = await tx.distributorCustomerRef.findMany({ where: { shopId, distributorId }, select: { platform: true, platformCustomerId: true } });
  const orderIds = await ordersOfCustomer(tx, shopId, refs, row.email);
  // A vanity code ("JANE2024") can spell the person's name; a generated one is random and stays shareable.
  const code = isGeneratedReferralCode(row.code) ? row.code : await freeCode(tx, shopId);
  await tx.distributor.update({ where: { id: distributorId }, data: { name: null, email: null, externalId: null, code, redactedAt: new Date() } });
  if (code !== row.code) await tx.order.updateMany({ where: { shopId, referralCode: row.code }, data: { referralCode: code } });
  await tx.distributorCustomerRef.deleteMany({ where: { shopId, distributorId } });
  await tx.distributorDataExport.deleteMany({ where: { shopId, distributorId } });
  // Payout destinations (PayPal e-mail, account ids, bank details): the method row and every item's copy.
  await tx.payoutMethod.updateMany({ where: { shopId, distributorId }, data: { details: {} } });
  await tx.payoutItem.updateMany({ where: { shopId, distributorId }, data: { destination: {} } });
  // Customer events that carried this person (customers/create …): their raw bodies are personal data too.
  const customerIds = refs.map((ref) => ref.platformCustomerId);
  if (customerIds.length > 0) {
    await tx.$executeRaw`
      UPDATE "WebhookEvent" SET "rawBody" = ${REDACTED_BODY}, "headers" = '{}', "normalized" = NULL
      WHERE "shopId" = ${shopId}::uuid AND "status" IN ('processed', 'ignored', 'dead', 'rejected')
        AND "normalized"->>'kind' = 'customer' AND "normalized"->>'platformCustomerId' = ANY(${customerIds}::text[])`;
  }
  const redactedOrders = await redactOrders(tx, shopId, orderIds);
  await tx.auditLog.create({
    data: {
      shopId,
      actor: request.actor,
      action: "distributor.redacted",
      entityType: "Distributor",
      entityId: distributorId,
      reason: request.reason ?? null,
      after: { customerRefsRemoved: refs.length, ordersRedacted: redactedOrders, codeReplaced: code !== row.code },
    },
  });
  return { distributorId, redactedOrders };
}

/** Clears the buyer's personal fields on orders and their source webhook bodies; amounts stay. */
async function redactOrders(tx: Tx, shopId: string, orderIds: readonly string[]): Promise<number> {
  if (orderIds.length === 0) return 0;
  const count = await tx.$executeRaw`
    UPDATE "Order" SET "customerEmail" = NULL, "customerPlatformId" = NULL,
      "normalized" = jsonb_set("normalized", '{customer}', '{"platformCustomerId": null, "email": null}'::jsonb),
      "updatedAt" = now()
    WHERE "shopId" = ${shopId}::uuid AND "id" = ANY(${orderIds}::uuid[])`;
  await tx.$executeRaw`
    UPDATE "WebhookEvent" SET "rawBody" = ${REDACTED_BODY}, "headers" = '{}', "normalized" = NULL
    WHERE "shopId" = ${shopId}::uuid AND "status" IN ('processed', 'ignored', 'dead', 'rejected')
      AND "id" IN (SELECT "sourceEventId" FROM "Order" WHERE "shopId" = ${shopId}::uuid AND "id" = ANY(${orderIds}::uuid[]) AND "sourceEventId" IS NOT NULL)`;
  return count;
}

async function freeCode(tx: Tx, shopId: string): Promise<string> {
  for (;;) {
    const code = generateReferralCode();
    if (!(await tx.distributor.findUnique({ where: { shopId_code: { shopId, code } }, select: { id: true } }))) return code;
  }
}

async function distributorsOf(tx: Tx, shopId: string, platform: Platform, customerId: string | null, email: string | null): Promise<string[]> {
  const ids = new Set<string>();
  if (customerId) {
    const ref = await tx.distributorCustomerRef.findUnique({
      where: { shopId_platform_platformCustomerId: { shopId, platform, platformCustomerId: customerId } },
      select: { distributorId: true },
    });
    if (ref) ids.add(ref.distributorId);
  }
  if (email) {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "Distributor" WHERE "shopId" = ${shopId}::uuid AND lower("email") = lower(${email})`;
    for (const row of rows) ids.add(row.id);
  }
  return [...ids];
}

/** What Shopify's customers/data_request and customers/redact bodies say about the person. */
export function parseCompliancePayload(rawBody: string): { customerId: string | null; email: string | null; orderIds: string[] } {
  const body = parseJsonLossless(rawBody) as Record<string, unknown>;
  const customer = (body.customer ?? {}) as Record<string, unknown>;
  const id = customer.id;
  const orders = (body.orders_to_redact ?? body.orders_requested ?? []) as unknown[];
  return {
    customerId: typeof id === "string" || typeof id === "number" ? String(id) : null,
    email: typeof customer.email === "string" && customer.email !== "" ? customer.email : null,
    orderIds: Array.isArray(orders) ? orders.filter((order) => typeof order === "string" || typeof order === "number").map(String) : [],
  };
}

/**
 * The compliance webhooks, applied in the inbox row's transaction: data_request stores an export for every
 * distributor the customer is; redact redacts them and their orders, then the request's own body (it carries
 * the e-mail and phone being erased).
 */
export async function handleComplianceWebhook(tx: Tx, shopId: string, event: { id: string; platform: Platform; topic: string; rawBody: string }) {
  if (event.topic !== "customers/data_request" && event.topic !== "customers/redact") return { handled: false as const };
  const request = parseCompliancePayload(event.rawBody);
  const actor = `${event.platform}:${event.topic}`;
  if (event.topic === "customers/data_request") {
    const distributorIds = await distributorsOf(tx, shopId, event.platform, request.customerId, request.email);
    const exports = [];
    // The source event keys the first export only (its unique key guards a retried delivery, which rolls back
    // everything anyway); one customer is normally one distributor.
    for (const [index, distributorId] of distributorIds.entries()) {
      exports.push((await storeDistributorExport(tx, shopId, distributorId, actor, index === 0 ? event.id : null)).exportId);
    }
    return { handled: true as const, distributorIds, exports };
  }
  const result = await redactCustomer(tx, shopId, {
    platform: event.platform,
    customerId: request.customerId,
    email: request.email,
    platformOrderIds: request.orderIds,
    actor,
    reason: "customers/redact webhook",
  });
  // This request's body and earlier compliance requests about the same person carry the e-mail and phone too.
  const mentions = [request.customerId, request.email].filter((value): value is string => value !== null).map((value) => `%${value}%`);
  await tx.$executeRaw`
    UPDATE "WebhookEvent" SET "rawBody" = ${REDACTED_BODY}, "headers" = '{}'
    WHERE "shopId" = ${shopId}::uuid AND ("id" = ${event.id}::uuid
      OR ("topic" IN ('customers/data_request', 'customers/redact') AND "status" IN ('processed', 'ignored', 'dead', 'rejected')
        AND "rawBody" LIKE ANY(${mentions}::text[])))`;
  return { handled: true as const, ...result };
}
