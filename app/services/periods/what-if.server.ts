/**
 * POST /api/v1/plans/what-if: what a DRAFT plan version would pay, through the pure what-if (app/domain/periods
 * what-if.ts, the same evaluate() and closePeriod() the real paths run), for orders already stored (by id) and/or
 * new orders in the seed API's format, optionally closed as one period. It WRITES NOTHING: every read runs in a
 * READ ONLY transaction, so even a bug could not store a row (and no idempotency record is kept: the request is
 * a query with a body, safe to repeat).
 *
 * Inputs as the real paths see them: the shop's current classes, SKU mappings and commission settings; each
 * order's attribution (stored: the one its snapshot recorded; new: decided now, by the attribution service's
 * rules) and its upline as of the order's time, as deep as the draft pays; for a period, everyone in the trees at
 * its end, the previous close's carry and ranks. Not loaded: placement chains, so a draft's forced matrix pays
 * nothing here (flagged no_placement_upline).
 */
import { z } from "zod";
import type { Db } from "~/db.server";
import {
  evaluationFromJson,
  placementLevelsNeeded,
  toEngineOrder,
  uplineDepthToLoad,
  validatePlanRules,
  type CommissionCatalog,
  type PlacementUplineNode,
  type UplineNode,
} from "~/domain/engine";
import { bigintReplacer } from "~/domain/money";
import { orderVolumeOwner, periodContaining, whatIf, type WhatIfOrder } from "~/domain/periods";
import { NormalizationError } from "~/domain/platforms/normalized";
import { normalizeApiOrder } from "~/domain/platforms/api-order";
import { answered, storedProblem, type StoredResponse } from "~/services/api/idempotency.server";
import { anyJson } from "~/services/api/response-atoms";
import { dayText, instantText } from "~/domain/input-atoms";
import { validationProblem } from "~/services/http/problem.server";
import { candidatesFromJson, chooseAttribution } from "~/domain/attribution/attribution";
import { attributionCandidatesSql } from "~/services/commissions/attribution.server";
import { catalogFrom, type ClassRow, type MappingRow } from "~/services/commissions/catalog.server";
import { parseCommissionSettings } from "~/services/commissions/settings.server";
import type { Tx } from "~/db/tx.server";
import { placementUplineAt, uplineAt } from "~/services/genealogy/upline.server";
import { loadClawbacks } from "./order-inputs.server";
import { loadCarryIn } from "./period-state.server";
import { loadDistributorsAt, loadPreviousRanks } from "./tree-inputs.server";

const MAX_ORDERS = 500;
/** 500 orders each need an attribution and an upline query, and a period loads the whole tree: past the 5 s default. */
const WHAT_IF_TIMEOUT_MS = 60_000;

export const whatIfBodySchema = z
  .strictObject({
    plan: z.unknown(),
    order_ids: z.array(z.string().min(1).max(255)).max(MAX_ORDERS).default([]),
    orders: z.array(z.unknown()).max(MAX_ORDERS).default([]),
    period_start: instantText.or(dayText).optional(),
  })
  .refine((body) => body.order_ids.length + body.orders.length > 0, { message: "give order_ids, orders, or both", path: ["orders"] })
  .refine((body) => body.order_ids.length + body.orders.length <= MAX_ORDERS, { message: `at most ${MAX_ORDERS} orders in all`, path: ["orders"] });

const minorJson = z.string().regex(/^-?\d+$/);
/** The engine's own records (lines, breakage, flags, totals) as it builds them, bigints as decimal strings. */
const engineRecords = z.array(anyJson);

/** What the draft would pay: per order, and (with period_start) the period's close. Nothing is written. */
export const whatIfResponse = z.strictObject({
  orders: z.array(
    z.strictObject({
      order_id: z.string(),
      platform_order_id: z.string(),
      lines: engineRecords,
      breakage: engineRecords,
      flags: engineRecords,
      totals: anyJson,
    }),
  ),
  period: z
    .strictObject({
      period: z.strictObject({ key: z.string(), schedule: z.enum(["weekly", "monthly"]), start: z.string(), end: z.string() }),
      lines: engineRecords,
      totals: anyJson,
      breakage: engineRecords,
      ranks: engineRecords,
      payouts: engineRecords,
      flags: engineRecords,
    })
    .nullable(),
  totals: z.strictObject({ perOrderMinor: minorJson, periodMinor: minorJson }),
});

function unprocessable(detail: string, errors: readonly { field: string; message: string }[]): StoredResponse {
  return storedProblem({ ...validationProblem(422, [], detail), errors });
}

/** JSON-ready: bigints as decimal strings. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, bigintReplacer)) as unknown;
}

function plainAll(values: readonly unknown[]): unknown[] {
  return values.map(plain);
}

export async function planWhatIf(db: Db, shopId: string, body: unknown, now = new Date()): Promise<StoredResponse> {
  const parsed = whatIfBodySchema.safeParse(body);
  if (!parsed.success) {
    return unprocessable(
      "The request has invalid or missing fields.",
      parsed.error.issues.map((issue) => ({ field: issue.path.map(String).join(".") || "(body)", message: issue.message })),
    );
  }
  const validation = validatePlanRules(parsed.data.plan);
  if (!validation.ok)
    return unprocessable(
      "The draft plan is invalid.",
      validation.issues.map((issue) => ({ field: `plan.${issue.path}`, message: issue.message })),
    );
  const rules = validation.rules;
  // The new orders are checked before anything is read, by the normalizer the worker runs.
  for (const [index, raw] of parsed.data.orders.entries()) {
    try {
      normalizeApiOrder(raw, now.toISOString());
    } catch (error) {
      if (error instanceof NormalizationError)
        return unprocessable("An order is invalid.", [{ field: `orders[${index}].${error.field}`, message: error.message }]);
      throw error;
    }
  }
  const levels = { sponsor: uplineDepthToLoad(rules), placement: placementLevelsNeeded(rules) };

  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SET TRANSACTION READ ONLY`;
      const shop = await tx.shop.findUniqueOrThrow({ where: { id: shopId }, select: { settings: true, currency: true } });
      const catalog = await shopCatalog(tx, shopId);
      if (!catalog) return unprocessable("The shop has no default commission class yet.", [{ field: "(shop)", message: "create a default class first" }]);

      const stored = await storedOrders(tx, shopId, parsed.data.order_ids, levels);
      if ("missing" in stored)
        return unprocessable(
          "Unknown or unevaluated orders.",
          stored.missing.map((id) => ({ field: "order_ids", message: `no evaluated order ${id}` })),
        );
      const fresh: WhatIfOrder[] = [];
      for (const [index, raw] of parsed.data.orders.entries()) {
        try {
          fresh.push(await newOrder(tx, shopId, raw, now, levels));
        } catch (error) {
          if (error instanceof NormalizationError)
            return unprocessable("An order is invalid.", [{ field: `orders[${index}].${error.field}`, message: error.message }]);
          throw error;
        }
      }

      let period;
      if (parsed.data.period_start !== undefined) {
        const schedule = rules.period?.schedule;
        if (!schedule)
          return unprocessable("The draft has no period schedule.", [{ field: "plan.period", message: "a period what-if needs plan.period.schedule" }]);
        const ref = periodContaining(schedule, new Date(parsed.data.period_start).toISOString());
        const binary = rules.components.some((component) => component.type === "binary");
        const carry = await loadCarryIn(tx, shopId, schedule, new Date(ref.start));
        period = {
          period: ref,
          currency: shop.currency,
          distributors: await loadDistributorsAt(tx, shopId, new Date(ref.end), binary),
          previousRanks: await loadPreviousRanks(tx, shopId, new Date(ref.start)),
          binaryCarry: carry.binary,
          deferredPayouts: carry.deferredPayouts,
          clawbacks: await loadClawbacks(tx, shopId, ref, shop.currency),
        };
      }

      const result = whatIf({
        draftRules: parsed.data.plan,
        catalog,
        settings: parseCommissionSettings(shop.settings),
        orders: [...stored.orders, ...fresh],
        ...(period ? { period } : {}),
      });
      if (!result.ok)
        return unprocessable(
          "The draft plan is invalid.",
          result.issues.map((issue) => ({ field: `plan.${issue.path}`, message: issue.message })),
        );
      return answered(whatIfResponse, 200, {
        orders: result.orders.map((evaluation) => ({
          order_id: evaluation.orderId,
          platform_order_id: evaluation.snapshot.order.platformOrderId,
          lines: plainAll(evaluation.lines),
          breakage: plainAll(evaluation.breakage),
          flags: plainAll(evaluation.flags),
          totals: plain(evaluation.totals),
        })),
        period: result.period
          ? {
              period: {
                key: result.period.period.key,
                schedule: result.period.period.schedule,
                start: result.period.period.start,
                end: result.period.period.end,
              },
              lines: plainAll(result.period.lines),
              totals: plain(result.period.totals),
              breakage: plainAll(result.period.breakage),
              ranks: plainAll(result.period.ranks.filter((rank) => rank.paidAsRank !== null || rank.achievedRank !== null)),
              payouts: plainAll(result.period.payouts),
              flags: plainAll(result.period.flags),
            }
          : null,
        totals: { perOrderMinor: result.totals.perOrderMinor.toString(), periodMinor: result.totals.periodMinor.toString() },
      });
    },
    { timeout: WHAT_IF_TIMEOUT_MS },
  );
}

async function shopCatalog(tx: Tx, shopId: string): Promise<CommissionCatalog | null> {
  const classes = await tx.$queryRaw<ClassRow[]>`
    SELECT "key", "name", "pv", "cv", "isDefault" FROM "CommissionClass" WHERE "shopId" = ${shopId}::uuid ORDER BY "key"`;
  const mappings = await tx.$queryRaw<MappingRow[]>`
    SELECT m."platform"::text AS platform, m."platformSku", m."platformVariantId", c."key" AS "classKey"
    FROM "SkuMapping" m JOIN "CommissionClass" c ON c."id" = m."classId"
    WHERE m."shopId" = ${shopId}::uuid ORDER BY m."matchKey"`;
  return catalogFrom(classes, mappings);
}

/** The chain the engine starts from: the attributed distributor, or a buying distributor's sponsor. */
async function chain(tx: Tx, shopId: string, distributorId: string | null, buyer: boolean, at: Date, levels: number): Promise<UplineNode[]> {
  if (distributorId === null) return [];
  if (!buyer) return uplineAt(tx, shopId, distributorId, at, levels);
  return (await uplineAt(tx, shopId, distributorId, at, levels + 1)).slice(1);
}

/** Stored orders by our id or platform order id: the order and attribution their snapshot recorded. */
interface ChainLevels {
  readonly sponsor: number;
  /** 0 when the draft has no matrix: no placement chain is read. */
  readonly placement: number;
}

/** The placement chain a matrix draft pays up, as the worker loads it (compute.server.ts): from the attributed
 * distributor's own slot, or a buying distributor's placement parent. */
async function placementChain(
  tx: Tx,
  shopId: string,
  distributorId: string | null,
  buyer: boolean,
  at: Date,
  levels: number,
): Promise<PlacementUplineNode[] | undefined> {
  if (levels === 0) return undefined;
  if (distributorId === null) return [];
  if (!buyer) return placementUplineAt(tx, shopId, distributorId, at, levels);
  return (await placementUplineAt(tx, shopId, distributorId, at, levels + 1)).slice(1);
}

async function storedOrders(tx: Tx, shopId: string, ids: readonly string[], levels: ChainLevels): Promise<{ orders: WhatIfOrder[] } | { missing: string[] }> {
  if (ids.length === 0) return { orders: [] };
  const rows = await tx.$queryRaw<{ id: string; platformOrderId: string; evaluation: string; attributedDistributorId: string | null }[]>`
    SELECT o."id", o."platformOrderId", c."evaluation", c."attributedDistributorId" FROM "Order" o
    JOIN "Commission" c ON c."shopId" = o."shopId" AND c."orderId" = o."id" AND c."outcome" = 'evaluated'
    WHERE o."shopId" = ${shopId}::uuid AND (o."id"::text = ANY(${[...ids]}::text[]) OR o."platformOrderId" = ANY(${[...ids]}::text[]))`;
  const missing = ids.filter((id) => !rows.some((row) => row.id === id || row.platformOrderId === id));
  if (missing.length > 0) return { missing };
  const orders: WhatIfOrder[] = [];
  for (const row of rows) {
    const evaluation = evaluationFromJson(row.evaluation);
    const { snapshot } = evaluation;
    const at = new Date(snapshot.order.orderedAt);
    const buyer = snapshot.buyer ?? null;
    // The stored attribution decides for snapshots whose upline was stored empty (period-only plans, before the fix).
    const attributed = orderVolumeOwner(evaluation, row.attributedDistributorId);
    orders.push({
      order: toEngineOrder(snapshot.order),
      upline: await chain(tx, shopId, attributed, buyer !== null, at, levels.sponsor),
      ...withPlacement(await placementChain(tx, shopId, attributed, buyer !== null, at, levels.placement)),
      ...(buyer ? { buyer } : {}),
      attributedDistributorId: attributed,
    });
  }
  return { orders };
}

/** A new order in the seed API's format, attributed as the worker would attribute it, as of its own time. */
function withPlacement(placementUpline: PlacementUplineNode[] | undefined) {
  return placementUpline ? { placementUpline } : {};
}

async function newOrder(tx: Tx, shopId: string, raw: unknown, now: Date, levels: ChainLevels): Promise<WhatIfOrder> {
  const normalized = normalizeApiOrder(raw, now.toISOString());
  const orderedAt = new Date(normalized.orderedAt);
  const input = {
    platform: normalized.platform,
    platformOrderId: normalized.platformOrderId,
    orderedAt,
    customerPlatformId: normalized.customer.platformCustomerId,
    referrals: normalized.referrals,
  };
  const [row] = await tx.$queryRaw<{ candidates: unknown }[]>`SELECT ${attributionCandidatesSql(shopId, input)} AS candidates`;
  const attribution = chooseAttribution(input, candidatesFromJson(row?.candidates));
  const buyer = attribution?.chainStartsAboveDistributor
    ? await tx.distributor.findFirst({ where: { shopId, id: attribution.distributorId }, select: { id: true, enrolledAt: true } })
    : null;
  return {
    order: toEngineOrder({ ...normalized, orderId: `what-if:${normalized.platformOrderId}` }),
    upline: await chain(tx, shopId, attribution?.distributorId ?? null, buyer !== null, orderedAt, levels.sponsor),
    ...withPlacement(await placementChain(tx, shopId, attribution?.distributorId ?? null, buyer !== null, orderedAt, levels.placement)),
    ...(buyer ? { buyer: { distributorId: buyer.id, enrolledAt: buyer.enrolledAt.toISOString() } } : {}),
    attributedDistributorId: attribution?.distributorId ?? null,
  };
}
