/**
 * What the period's orders and refunds feed the close, derived from the stored calc snapshots (never
 * recomputed): each order's Commission.evaluation (evaluationFromJson) for its personal volume, commissionable
 * base and per-order commissions; each refund's CommissionReversal for the volume and commissions it took back.
 * The rules live in the domain's PeriodOrderInputsBuilder, which the what-if runs too; this file only reads.
 *
 *   volumes            per distributor, the volume of the orders PLACED in the period (the buyer's when the
 *                      buyer is a distributor, else the attributed distributor's: orderVolumeOwner)
 *   volumeAdjustments  per (distributor, origin period), the volume taken back by refunds RECORDED in the
 *                      period (refundedVolume): an origin of this period lowers this period's volume by exactly
 *                      that; an earlier origin lowers that period's binary carry (the close decides)
 *   earnings           per (distributor, rule), the per-order commissions of the period's orders net of their
 *                      reversals recorded in the period (a later refund of an order cannot unpay a match)
 *   clawbacks          per distributor, what refunds recorded in the period took back from EARLIER periods'
 *                      orders: the payout decision nets them with the balance brought forward
 *   salesBaseMinor     the period's commissionable base in the shop currency, net of the same refunds
 *
 * Evaluations are read in pages by (orderedAt, id), so memory stays flat however many orders the period has.
 */
import { evaluationFromJson, type ReversalProgress } from "~/domain/engine";
import { PeriodOrderInputsBuilder, type PeriodOrderInputs, type PeriodRef } from "~/domain/periods";
import { reversalFromJson } from "~/services/commissions/reversal-json.server";
import type { DbOrTx } from "~/db/tx.server";

const PAGE = 2_000;

export type OrderInputs = PeriodOrderInputs;

interface CommissionRow {
  id: string;
  orderedAt: Date;
  evaluation: string;
  attributedDistributorId: string | null;
}

interface ReversalRow {
  result: string;
  progress: ReversalProgress;
  orderedAt: Date;
  evaluation: string;
  attributedDistributorId: string | null;
}

export async function loadOrderInputs(client: DbOrTx, shopId: string, period: PeriodRef, currency: string): Promise<OrderInputs> {
  const start = new Date(period.start);
  const end = new Date(period.end);
  const builder = new PeriodOrderInputsBuilder(period, currency);

  let cursor: { at: Date; id: string } | null = null;
  for (;;) {
    const after: { at: Date; id: string } | null = cursor;
    const page: CommissionRow[] = after
      ? await client.$queryRaw<CommissionRow[]>`
          SELECT "id", "orderedAt", "evaluation", "attributedDistributorId" FROM "Commission"
          WHERE "shopId" = ${shopId}::uuid AND "outcome" = 'evaluated' AND "orderedAt" >= ${start} AND "orderedAt" < ${end}
            AND ("orderedAt", "id") > (${after.at}, ${after.id}::uuid)
          ORDER BY "orderedAt", "id" LIMIT ${PAGE}`
      : await client.$queryRaw<CommissionRow[]>`
          SELECT "id", "orderedAt", "evaluation", "attributedDistributorId" FROM "Commission"
          WHERE "shopId" = ${shopId}::uuid AND "outcome" = 'evaluated' AND "orderedAt" >= ${start} AND "orderedAt" < ${end}
          ORDER BY "orderedAt", "id" LIMIT ${PAGE}`;
    for (const row of page) builder.addOrder(evaluationFromJson(row.evaluation), row.attributedDistributorId);
    if (page.length < PAGE) break;
    const last = page[page.length - 1]!;
    cursor = { at: last.orderedAt, id: last.id };
  }

  await addReversals(client, shopId, period, builder);
  return builder.build();
}

/**
 * Only the clawbacks of the period (refunds recorded in it of earlier periods' orders): real debts in the wallets
 * whatever plan is being tried, so the what-if nets them as the close does.
 */
export async function loadClawbacks(client: DbOrTx, shopId: string, period: PeriodRef, currency: string): Promise<OrderInputs["clawbacks"]> {
  const builder = new PeriodOrderInputsBuilder(period, currency);
  await addReversals(client, shopId, period, builder);
  return builder.build().clawbacks;
}

async function addReversals(client: DbOrTx, shopId: string, period: PeriodRef, builder: PeriodOrderInputsBuilder): Promise<void> {
  const start = new Date(period.start);
  const end = new Date(period.end);
  const reversals = await client.$queryRaw<ReversalRow[]>`
    SELECT r."result", r."progress", c."orderedAt", c."evaluation", c."attributedDistributorId"
    FROM "CommissionReversal" r
    JOIN "Commission" c ON c."shopId" = r."shopId" AND c."id" = r."commissionId"
    WHERE r."shopId" = ${shopId}::uuid AND r."status" = 'applied' AND r."occurredAt" >= ${start} AND r."occurredAt" < ${end}
      AND c."outcome" = 'evaluated'
    ORDER BY r."occurredAt", r."id"`;
  for (const row of reversals) {
    builder.addReversal({
      evaluation: evaluationFromJson(row.evaluation),
      reversal: reversalFromJson(row.result),
      refundedQuantity: row.progress.refundedQuantity ?? {},
      orderedAt: row.orderedAt.toISOString(),
      recordedOwner: row.attributedDistributorId,
    });
  }
}
