/**
 * GET /api/v1/orders/:id/commissions: what an order paid whom, each commission line with the part of the calc
 * snapshot that explains it (the order line's base and class, the upline node's status and depth at the order's
 * time, the component's compression), what its refunds took back, and the ledger transactions posted for it.
 * :id is our order id or the platform's order id (add ?platform= when two platforms share one).
 */
import { evaluationFromJson, hundredthsToPoints, reversalEntryKey, type ReversalProgress } from "~/domain/engine";
import { bigintReplacer } from "~/domain/money";
import { PLATFORMS, type Platform } from "~/domain/platforms/normalized";
import type { DbOrTx } from "~/db/tx.server";
import { isUuid } from "~/services/genealogy/lookup.server";
import { z } from "zod";
import { ProblemError, validationProblem } from "~/services/http/problem.server";
import { moneyJson, moneySchema } from "~/services/ledger/money-json.server";
import { CommissionOutcome, LedgerTransactionKind, OrderStatus } from "~/generated/prisma/enums";
import { anyJson, idJson, instantJson, pointsJson } from "./response-atoms";
import { reversalFromJson } from "~/services/commissions/reversal-json.server";

export const orderCommissionsQuery = z.object({ platform: z.enum(PLATFORMS, { error: `must be one of ${PLATFORMS.join(", ")}` }).optional() });

const commissionLineSchema = z.strictObject({
  distributor_id: idJson,
  level: z.int(),
  rule: z.string(),
  kind: z.string(),
  order_line_id: z.string(),
  class_id: z.string(),
  /** The plan rate that applied (percent, fixed per unit or order, …) as in the plan. */
  rate: anyJson,
  basis: moneySchema,
  amount: moneySchema,
  reversed: moneySchema,
  net: moneySchema,
  explanation: z.strictObject({
    order_line: z.strictObject({
      sku: z.string().nullable(),
      platform_variant_id: z.string().nullable(),
      quantity: z.int(),
      class_matched_by: z.string(),
      net: moneySchema,
      shipping_share: moneySchema,
      tax_share: moneySchema,
      base: moneySchema,
    }),
    /** Where the recipient sat on the sponsor chain at the order's time (null for matrix lines). */
    upline_node: z.strictObject({ chain_index: z.int(), status: z.string(), sponsor_depth: z.int().nullable() }).nullable(),
    /** Matrix lines: where the recipient sat on the placement chain. */
    placement_node: z.strictObject({ chain_index: z.int(), status: z.string(), placement_depth: z.int().nullable() }).optional(),
    component: z.strictObject({ type: z.string(), compression: z.string(), compressed: anyJson }).nullable(),
    settings: anyJson,
  }),
});

const commissionSchema = z.strictObject({
  outcome: z.enum(CommissionOutcome),
  computed_at: instantJson,
  plan_version: z.strictObject({ id: idJson, version: z.int() }).nullable(),
  attribution: z.strictObject({ distributor_id: idJson, source: z.string().nullable(), code: z.string().nullable(), reason: z.string().nullable() }).nullable(),
  attribution_reason: z.string().nullable().describe("Which attribution rule won and why (also when nobody was attributed)."),
  held_until: instantJson,
  released_at: instantJson.nullable(),
  error: z.string().nullable(),
  reversals: z.array(
    z.strictObject({
      source: z.string(),
      status: z.string(),
      occurred_at: instantJson,
      error: z.string().nullable(),
      lines: z.array(z.strictObject({ distributor_id: idJson, rule: z.string(), level: z.int(), order_line_id: z.string(), amount: moneySchema })),
    }),
  ),
  flags: anyJson,
  /** Null when the order was not evaluated (see outcome). */
  totals: z
    .strictObject({ base: moneySchema, paid: moneySchema, breakage: moneySchema, reversed: moneySchema, net: moneySchema, pv: pointsJson, cv: pointsJson })
    .nullable(),
  lines: z.array(commissionLineSchema),
  breakage: z.array(
    z.strictObject({
      rule: z.string(),
      level: z.int(),
      order_line_id: z.string(),
      class_id: z.string(),
      reason: z.string(),
      distributor_id: idJson.nullable(),
      amount: moneySchema,
    }),
  ),
  /** Every input that produced the numbers, as stored (replayable). */
  snapshot: anyJson,
});

export const orderCommissionsResponse = z.strictObject({
  order: z.strictObject({
    id: idJson,
    platform: z.enum(PLATFORMS),
    platform_order_id: z.string(),
    order_number: z.string().nullable(),
    ordered_at: instantJson,
    status: z.enum(OrderStatus),
    currency: z.string(),
  }),
  /** Null while the order waits for its evaluation. */
  commission: commissionSchema.nullable(),
  ledger: z.array(
    z.strictObject({
      id: idJson,
      kind: z.enum(LedgerTransactionKind),
      idempotency_key: z.string(),
      distributor_id: idJson.nullable(),
      occurred_at: instantJson,
      posted_at: instantJson,
      postings: z.array(z.strictObject({ account: z.string(), account_kind: z.string(), distributor_id: idJson.nullable(), amount: moneySchema })),
    }),
  ),
});

export async function orderCommissions(client: DbOrTx, shopId: string, id: string, params: URLSearchParams): Promise<z.input<typeof orderCommissionsResponse>> {
  const query = orderCommissionsQuery.safeParse(Object.fromEntries(params));
  if (!query.success) throw new ProblemError(validationProblem(400, query.error.issues, `platform must be one of ${PLATFORMS.join(", ")}.`));
  const order = await findOrder(client, shopId, id, query.data.platform ?? null);
  const [commission, transactions] = await Promise.all([
    client.commission.findUnique({
      where: { shopId_orderId: { shopId, orderId: order.id } },
      include: { planVersion: { select: { id: true, version: true } }, reversals: { orderBy: { sequence: "asc" } } },
    }),
    client.ledgerTransaction.findMany({
      where: { shopId, orderId: order.id },
      include: { postings: { orderBy: { id: "asc" } } },
      orderBy: [{ createdAt: "asc" }, { idempotencyKey: "asc" }],
    }),
  ]);
  return {
    order: {
      id: order.id,
      platform: order.platform,
      platform_order_id: order.platformOrderId,
      order_number: order.orderNumber,
      ordered_at: order.orderedAt.toISOString(),
      status: order.status,
      currency: order.currency,
    },
    commission: commission ? commissionJson(commission) : null,
    ledger: transactions.map((transaction) => ({
      id: transaction.id,
      kind: transaction.kind,
      idempotency_key: transaction.idempotencyKey,
      distributor_id: transaction.distributorId,
      occurred_at: transaction.occurredAt.toISOString(),
      posted_at: transaction.createdAt.toISOString(),
      postings: transaction.postings.map((posting) => ({
        account: posting.account,
        account_kind: posting.accountKind,
        distributor_id: posting.distributorId,
        // As posted: positive = debit, negative = credit.
        amount: moneyJson(posting.amountMinor, posting.currency),
      })),
    })),
  };
}

async function findOrder(client: DbOrTx, shopId: string, id: string, platform: string | null) {
  if (platform !== null && !(PLATFORMS as readonly string[]).includes(platform)) {
    throw new ProblemError({
      status: 400,
      type: "invalid-parameter",
      title: "Invalid query parameter",
      detail: `platform must be one of ${PLATFORMS.join(", ")}.`,
    });
  }
  if (isUuid(id)) {
    const byId = await client.order.findFirst({ where: { id, shopId } });
    if (byId) return byId;
  }
  const matches = await client.order.findMany({
    where: { shopId, platformOrderId: id, ...(platform ? { platform: platform as Platform } : {}) },
    take: 2,
  });
  if (matches.length === 0) throw new ProblemError({ status: 404, type: "not-found", title: "Not found", detail: `No order ${id}.` });
  if (matches.length > 1) {
    throw new ProblemError({
      status: 409,
      type: "ambiguous-order-id",
      title: "Ambiguous order id",
      detail: `Several platforms have an order ${id}: add ?platform=.`,
    });
  }
  return matches[0]!;
}

type CommissionRow = NonNullable<Awaited<ReturnType<DbOrTx["commission"]["findUnique"]>>> & {
  planVersion: { id: string; version: number } | null;
  reversals: { sourceKey: string; status: string; occurredAt: Date; result: string | null; error: string | null; progress: unknown }[];
};

function commissionJson(commission: CommissionRow): z.input<typeof commissionSchema> {
  const { currency } = commission;
  const money = (amount: bigint) => moneyJson(amount, currency);
  const base = {
    outcome: commission.outcome,
    computed_at: commission.createdAt.toISOString(),
    plan_version: commission.planVersion,
    attribution: commission.attributedDistributorId
      ? {
          distributor_id: commission.attributedDistributorId,
          source: commission.attributionSource,
          code: commission.attributionCode,
          reason: commission.attributionReason,
        }
      : null,
    // Why the order went to whom (or to nobody), also when nobody was attributed.
    attribution_reason: commission.attributionReason,
    held_until: commission.heldUntil.toISOString(),
    released_at: commission.releasedAt?.toISOString() ?? null,
    error: commission.error,
    reversals: commission.reversals.map((reversal) => ({
      source: reversal.sourceKey,
      status: reversal.status,
      occurred_at: reversal.occurredAt.toISOString(),
      error: reversal.error,
      lines: reversal.result
        ? reversalFromJson(reversal.result).lines.map((line) => ({
            distributor_id: line.distributorId,
            rule: line.rule,
            level: line.level,
            order_line_id: line.orderLineId,
            amount: money(line.amountMinor),
          }))
        : [],
    })),
  };
  if (!commission.evaluation) return { ...base, flags: commission.flags, totals: null, lines: [], breakage: [], snapshot: null };

  const evaluation = evaluationFromJson(commission.evaluation);
  const latest = commission.reversals.at(-1)?.progress as ReversalProgress | undefined;
  const reversedOf = (key: string) => BigInt(latest?.reversedMinor[key] ?? "0");
  const reversedTotal = evaluation.lines.reduce((sum, line) => sum + reversedOf(reversalEntryKey(line)), 0n);
  const orderLines = new Map(evaluation.orderLines.map((line) => [line.orderLineId, line]));
  const uplineIndex = new Map(evaluation.snapshot.upline.map((node, index) => [node.distributorId, { ...node, index }]));
  // Matrix lines are paid up the placement chain: explained by their node there, not on the sponsor chain.
  const placementIndex = new Map((evaluation.snapshot.placementUpline ?? []).map((node, index) => [node.distributorId, { ...node, index }]));
  const component = new Map(evaluation.components.map((snapshot) => [snapshot.rule, snapshot]));

  return {
    ...base,
    flags: JSON.parse(JSON.stringify(evaluation.flags, bigintReplacer)) as unknown,
    totals: {
      base: money(evaluation.totals.baseMinor),
      paid: money(evaluation.totals.paidMinor),
      breakage: money(evaluation.totals.breakageMinor),
      reversed: money(-reversedTotal),
      net: money(evaluation.totals.paidMinor - reversedTotal),
      pv: hundredthsToPoints(evaluation.totals.pvHundredths),
      cv: hundredthsToPoints(evaluation.totals.cvHundredths),
    },
    lines: evaluation.lines.map((line) => {
      const reversed = reversedOf(reversalEntryKey(line));
      const orderLine = orderLines.get(line.orderLineId)!;
      const node = line.kind === "matrix" ? undefined : uplineIndex.get(line.distributorId);
      const placementNode = line.kind === "matrix" ? placementIndex.get(line.distributorId) : undefined;
      const rule = component.get(line.rule);
      return {
        distributor_id: line.distributorId,
        level: line.level,
        rule: line.rule,
        kind: line.kind,
        order_line_id: line.orderLineId,
        class_id: line.classId,
        rate: line.rate,
        basis: money(line.basisMinor),
        amount: money(line.amountMinor),
        reversed: money(-reversed),
        net: money(line.amountMinor - reversed),
        explanation: {
          order_line: {
            sku: orderLine.sku,
            platform_variant_id: orderLine.platformVariantId,
            quantity: orderLine.quantity,
            class_matched_by: orderLine.classMatchedBy,
            net: money(orderLine.netMinor),
            shipping_share: money(orderLine.shippingShareMinor),
            tax_share: money(orderLine.taxShareMinor),
            base: money(orderLine.baseMinor),
          },
          upline_node: node ? { chain_index: node.index, status: node.status, sponsor_depth: node.sponsorDepth } : null,
          ...(placementNode
            ? { placement_node: { chain_index: placementNode.index, status: placementNode.status, placement_depth: placementNode.placementDepth } }
            : {}),
          component: rule ? { type: rule.type, compression: rule.compression, compressed: rule.compressed } : null,
          settings: evaluation.snapshot.settings,
        },
      };
    }),
    breakage: evaluation.breakage.map((line) => ({
      rule: line.rule,
      level: line.level,
      order_line_id: line.orderLineId,
      class_id: line.classId,
      reason: line.reason,
      distributor_id: line.distributorId,
      amount: money(line.amountMinor),
    })),
    // The snapshot as stored (JSON-native): every input that produced the numbers above, replayable.
    snapshot: (JSON.parse(commission.evaluation) as { snapshot: unknown }).snapshot,
  };
}
