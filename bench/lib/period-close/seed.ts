/**
 * Seeds the period-close benchmark into the product's own tables: distributors with their sponsor and binary
 * placement edges set-based in SQL, then a month of orders evaluated by the pure engine (the same evaluate() the
 * worker runs, over each referrer's upline computed in memory) and stored as Order + Commission rows with their
 * calc snapshots, and a share of them refunded (CommissionReversal rows from the engine's reverseForRefund).
 * The ingest path is bypassed on purpose: the benchmark measures the close, not 30,000 webhooks.
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { evaluate, evaluationToJson, NOTHING_REVERSED, reverseForRefund, type CommissionCatalog, type PlanVersionRef, type UplineNode } from "~/domain/engine";
import { bigintReplacer } from "~/domain/money";

export interface SeedShape {
  readonly distributors: number;
  readonly orders: number;
  readonly refundShare: number;
  /** First instant of the month the orders fall in (UTC). */
  readonly monthStart: Date;
}

interface Node {
  readonly id: string;
  readonly sponsor: number | null;
  readonly depth: number;
  readonly active: boolean;
  readonly enrolledAt: string;
}

/** Distributors, sponsor edges (random earlier sponsor) and placement edges (heap-shaped binary tree). */
export async function seedDistributors(client: pg.Client, shopId: string, count: number): Promise<Node[]> {
  await client.query("SELECT setseed(0.42)");
  await client.query(`
    CREATE TEMP TABLE bench_node AS
    SELECT n, gen_random_uuid() AS id,
      CASE WHEN n = 1 THEN NULL ELSE 1 + floor(random() * (n - 1))::int END AS sponsor_n,
      random() < 0.05 AS inactive,
      timestamp '2026-01-01' + make_interval(secs => n) AS enrolled_at
    FROM generate_series(1, ${count}) n`);
  await client.query(
    `INSERT INTO "Distributor" ("id", "shopId", "code", "status", "enrolledAt", "updatedAt")
     SELECT id, $1, 'D' || lpad(n::text, 7, '0'), (CASE WHEN inactive THEN 'inactive' ELSE 'active' END)::"DistributorStatus", enrolled_at, now()
     FROM bench_node`,
    [shopId],
  );
  await client.query(
    `INSERT INTO "SponsorEdge" ("shopId", "distributorId", "validFrom", "sponsorId")
     SELECT $1, c.id, c.enrolled_at, p.id FROM bench_node c LEFT JOIN bench_node p ON p.n = c.sponsor_n`,
    [shopId],
  );
  await client.query(
    `INSERT INTO "PlacementEdge" ("shopId", "distributorId", "validFrom", "parentId", "position")
     SELECT $1, c.id, c.enrolled_at, p.id, CASE WHEN c.n = 1 THEN NULL ELSE (c.n % 2)::smallint END
     FROM bench_node c LEFT JOIN bench_node p ON p.n = c.n / 2`,
    [shopId],
  );
  await client.query(
    `INSERT INTO "DistributorStatusPeriod" ("shopId", "distributorId", "validFrom", "status")
     SELECT $1, id, timestamp '2026-02-01', 'inactive' FROM bench_node WHERE inactive`,
    [shopId],
  );
  const rows = (
    await client.query<{ n: number; id: string; sponsor_n: number | null; inactive: boolean; enrolled_at: Date }>("SELECT * FROM bench_node ORDER BY n")
  ).rows;
  const nodes: Node[] = [];
  for (const row of rows) {
    const sponsor = row.sponsor_n === null ? null : row.sponsor_n - 1;
    nodes.push({
      id: row.id,
      sponsor,
      depth: sponsor === null ? 0 : nodes[sponsor]!.depth + 1,
      active: !row.inactive,
      enrolledAt: row.enrolled_at.toISOString(),
    });
  }
  return nodes;
}

/** A deterministic generator (mulberry32), so every run seeds the same month. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function uplineOf(nodes: readonly Node[], start: number | null, levels: number): UplineNode[] {
  const chain: UplineNode[] = [];
  let active = 0;
  for (let index = start; index !== null && active < levels; index = nodes[index]!.sponsor) {
    const node = nodes[index]!;
    chain.push({ distributorId: node.id, status: node.active ? "active" : "inactive", rank: null, sponsorDepth: node.depth });
    if (node.active) active += 1;
  }
  return chain;
}

const BATCH = 1_000;

/** A month of orders (30 % bought by a distributor, the rest referred), evaluated, stored; a share refunded. */
export async function seedOrders(
  client: pg.Client,
  shopId: string,
  nodes: readonly Node[],
  shape: SeedShape,
  plan: PlanVersionRef,
  catalog: CommissionCatalog,
  levels: number,
): Promise<{ orders: number; refunds: number; lines: number }> {
  const next = random(7);
  const monthMs = new Date(Date.UTC(shape.monthStart.getUTCFullYear(), shape.monthStart.getUTCMonth() + 1, 1)).getTime() - shape.monthStart.getTime();
  let refunds = 0;
  let lines = 0;
  for (let start = 0; start < shape.orders; start += BATCH) {
    const orders = { id: [] as string[], oid: [] as string[], at: [] as string[], subtotal: [] as string[], normalized: [] as string[] };
    const commissions = {
      id: [] as string[],
      order: [] as string[],
      attributed: [] as (string | null)[],
      at: [] as string[],
      paid: [] as string[],
      breakage: [] as string[],
      evaluation: [] as string[],
    };
    const reversals = {
      commission: [] as string[],
      order: [] as string[],
      result: [] as string[],
      progress: [] as string[],
      reversed: [] as string[],
      at: [] as string[],
    };
    for (let k = start; k < Math.min(shape.orders, start + BATCH); k += 1) {
      const orderId = randomUUID();
      const orderedAt = new Date(shape.monthStart.getTime() + Math.floor(next() * (monthMs - 3_600_000)));
      const who = Math.floor(next() * nodes.length);
      const buyerIsDistributor = next() < 0.3;
      const lineCount = 1 + Math.floor(next() * 3);
      const order = {
        orderId,
        platform: "api" as const,
        platformOrderId: `bench-${k}`,
        orderedAt: orderedAt.toISOString(),
        currency: "USD",
        shippingMinor: 0n,
        taxMinor: 0n,
        lines: Array.from({ length: lineCount }, (_, index) => ({
          platformLineId: `l${index}`,
          sku: `SKU-${index}`,
          platformVariantId: null,
          quantity: 1 + Math.floor(next() * 2),
          unitPriceMinor: BigInt(1_000 + Math.floor(next() * 11_000)),
          discountMinor: 0n,
          taxMinor: 0n,
        })),
      };
      const upline = buyerIsDistributor ? uplineOf(nodes, nodes[who]!.sponsor, levels) : uplineOf(nodes, who, levels);
      const evaluation = evaluate({
        order,
        planVersion: plan,
        catalog,
        upline,
        settings: { includeShipping: false, includeTax: false },
        ...(buyerIsDistributor ? { buyer: { distributorId: nodes[who]!.id, enrolledAt: nodes[who]!.enrolledAt } } : {}),
      });
      lines += evaluation.lines.length;
      const subtotal = order.lines.reduce((sum, line) => sum + line.unitPriceMinor * BigInt(line.quantity), 0n);
      orders.id.push(orderId);
      orders.oid.push(order.platformOrderId);
      orders.at.push(order.orderedAt);
      orders.subtotal.push(subtotal.toString());
      orders.normalized.push("{}");
      const commissionId = randomUUID();
      commissions.id.push(commissionId);
      commissions.order.push(orderId);
      commissions.attributed.push(upline[0]?.distributorId ?? null);
      commissions.at.push(order.orderedAt);
      commissions.paid.push(evaluation.totals.paidMinor.toString());
      commissions.breakage.push(evaluation.totals.breakageMinor.toString());
      commissions.evaluation.push(evaluationToJson(evaluation));
      if (next() < shape.refundShare) {
        const line = order.lines[0]!;
        const refundedAt = new Date(orderedAt.getTime() + 3_600_000).toISOString();
        const reversal = reverseForRefund({
          original: evaluation,
          refund: {
            platformRefundId: `r${k}`,
            platformOrderId: order.platformOrderId,
            refundedAt,
            currency: "USD",
            lines: [{ platformLineId: line.platformLineId, quantity: line.quantity, subtotalMinor: line.unitPriceMinor * BigInt(line.quantity), taxMinor: 0n }],
          },
          progress: NOTHING_REVERSED,
        });
        reversals.commission.push(commissionId);
        reversals.order.push(orderId);
        reversals.result.push(JSON.stringify(reversal, bigintReplacer));
        reversals.progress.push(JSON.stringify(reversal.progress));
        reversals.reversed.push((-reversal.lines.reduce((sum, entry) => sum + entry.amountMinor, 0n)).toString());
        reversals.at.push(refundedAt);
        refunds += 1;
      }
    }
    await client.query(
      `INSERT INTO "Order" ("id", "shopId", "platform", "platformOrderId", "orderedAt", "platformUpdatedAt", "status", "currency",
         "discountCodes", "subtotalMinor", "discountMinor", "shippingMinor", "taxMinor", "totalMinor", "normalized", "updatedAt")
       SELECT v.id::uuid, $1, 'api', v.oid, v.at::timestamptz AT TIME ZONE 'UTC', v.at::timestamptz AT TIME ZONE 'UTC', 'paid', 'USD',
         '{}', v.subtotal::bigint, 0, 0, 0, v.subtotal::bigint, v.normalized::jsonb, now()
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS v(id, oid, at, subtotal, normalized)`,
      [shopId, orders.id, orders.oid, orders.at, orders.subtotal, orders.normalized],
    );
    await client.query(
      `INSERT INTO "Commission" ("id", "shopId", "orderId", "outcome", "planVersionId", "attributedDistributorId", "attributionSource", "currency",
         "orderedAt", "paidMinor", "breakageMinor", "flagTypes", "flags", "evaluation", "heldUntil")
       SELECT v.id::uuid, $1, v.order_id::uuid, 'evaluated', $2::uuid, v.attributed::uuid, 'bench', 'USD', v.at::timestamptz AT TIME ZONE 'UTC',
         v.paid::bigint, v.breakage::bigint, '{}', '[]'::jsonb, v.evaluation, timestamp '2036-01-01'
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) AS v(id, order_id, attributed, at, paid, breakage, evaluation)`,
      [
        shopId,
        plan.id,
        commissions.id,
        commissions.order,
        commissions.attributed,
        commissions.at,
        commissions.paid,
        commissions.breakage,
        commissions.evaluation,
      ],
    );
    if (reversals.commission.length > 0) {
      await client.query(
        `INSERT INTO "CommissionReversal" ("shopId", "commissionId", "orderId", "sourceKey", "sequence", "status", "result", "progress", "reversedMinor", "occurredAt")
         SELECT $1, v.commission_id::uuid, v.order_id::uuid, 'bench-refund', 1, 'applied', v.result, v.progress::jsonb, v.reversed::bigint,
           v.at::timestamptz AT TIME ZONE 'UTC'
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS v(commission_id, order_id, result, progress, reversed, at)`,
        [shopId, reversals.commission, reversals.order, reversals.result, reversals.progress, reversals.reversed, reversals.at],
      );
    }
  }
  return { orders: shape.orders, refunds, lines };
}
