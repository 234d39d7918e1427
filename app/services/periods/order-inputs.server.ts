/**
 * What the period's orders and refunds feed the close, derived from the stored calc snapshots (never
 * recomputed): each order's Commission.evaluation (evaluationFromJson) for its personal volume, commissionable
 * base and per-order commissions; each refund's CommissionReversal for the volume and commissions it took back.
 *
 *   volumes            per distributor, the volume of the orders PLACED in the period (the buyer's when the
 *                      buyer is a distributor, else the attributed distributor's: volumeOwner)
 *   volumeAdjustments  per (distributor, origin period), the volume taken back by refunds RECORDED in the
 *                      period (refundedVolume): an origin of this period lowers this period's volume by exactly
 *                      that; an earlier origin lowers that period's binary carry (the close decides)
 *   earnings           per (distributor, rule), the per-order commissions of the period's orders net of their
 *                      reversals recorded in the period (a later refund of an order cannot unpay a match)
 *   salesBaseMinor     the period's commissionable base in the shop currency, net of the same refunds
 *
 * Evaluations are read in pages by (orderedAt, id), so memory stays flat however many orders the period has.
 */
import { evaluationFromJson, type EvaluationResult, type ReversalProgress } from "~/domain/engine";
import { periodContaining, volumeOwner, type PeriodEarning, type PeriodRef, type PersonalVolume, type VolumeAdjustment } from "~/domain/periods";
import { addVolumes, NO_VOLUME, refundedVolume, type RefundedVolume } from "~/domain/refunds/refunded-volume";
import { reversalFromJson } from "~/services/commissions/reversal-json.server";
import type { DbOrTx } from "~/db/tx.server";

const PAGE = 2_000;

export interface OrderInputs {
  readonly volumes: PersonalVolume[];
  readonly volumeAdjustments: VolumeAdjustment[];
  readonly earnings: PeriodEarning[];
  readonly salesBaseMinor: bigint;
  readonly orders: number;
  readonly reversals: number;
}

interface CommissionRow {
  id: string;
  orderedAt: Date;
  evaluation: string;
}

interface ReversalRow {
  result: string;
  progress: ReversalProgress;
  orderedAt: Date;
  evaluation: string;
}

export async function loadOrderInputs(client: DbOrTx, shopId: string, period: PeriodRef, currency: string): Promise<OrderInputs> {
  const start = new Date(period.start);
  const end = new Date(period.end);
  const volumes = new Map<string, { pv: bigint; cv: bigint }>();
  const earnings = new Map<string, PeriodEarning>();
  const addEarning = (distributorId: string, rule: string, lineCurrency: string, amountMinor: bigint) => {
    const key = `${distributorId}\u0000${rule}\u0000${lineCurrency}`;
    const sum = earnings.get(key);
    earnings.set(key, { distributorId, rule, currency: lineCurrency, amountMinor: (sum?.amountMinor ?? 0n) + amountMinor });
  };
  let salesBaseMinor = 0n;
  let orders = 0;

  let cursor: { at: Date; id: string } | null = null;
  for (;;) {
    const after: { at: Date; id: string } | null = cursor;
    const page: CommissionRow[] = after
      ? await client.$queryRaw<CommissionRow[]>`
          SELECT "id", "orderedAt", "evaluation" FROM "Commission"
          WHERE "shopId" = ${shopId}::uuid AND "outcome" = 'evaluated' AND "orderedAt" >= ${start} AND "orderedAt" < ${end}
            AND ("orderedAt", "id") > (${after.at}, ${after.id}::uuid)
          ORDER BY "orderedAt", "id" LIMIT ${PAGE}`
      : await client.$queryRaw<CommissionRow[]>`
          SELECT "id", "orderedAt", "evaluation" FROM "Commission"
          WHERE "shopId" = ${shopId}::uuid AND "outcome" = 'evaluated' AND "orderedAt" >= ${start} AND "orderedAt" < ${end}
          ORDER BY "orderedAt", "id" LIMIT ${PAGE}`;
    for (const row of page) {
      const evaluation = evaluationFromJson(row.evaluation);
      orders += 1;
      const owner = ownerOf(evaluation);
      if (owner !== null) {
        const sum = volumes.get(owner) ?? { pv: 0n, cv: 0n };
        sum.pv += evaluation.totals.pvHundredths;
        sum.cv += evaluation.totals.cvHundredths;
        volumes.set(owner, sum);
      }
      for (const line of evaluation.lines) addEarning(line.distributorId, line.rule, line.currency, line.amountMinor);
      if (evaluation.currency === currency) salesBaseMinor += evaluation.totals.baseMinor;
    }
    if (page.length < PAGE) break;
    const last = page[page.length - 1]!;
    cursor = { at: last.orderedAt, id: last.id };
  }

  const reversals = await client.$queryRaw<ReversalRow[]>`
    SELECT r."result", r."progress", c."orderedAt", c."evaluation"
    FROM "CommissionReversal" r
    JOIN "Commission" c ON c."shopId" = r."shopId" AND c."id" = r."commissionId"
    WHERE r."shopId" = ${shopId}::uuid AND r."status" = 'applied' AND r."occurredAt" >= ${start} AND r."occurredAt" < ${end}
      AND c."outcome" = 'evaluated'
    ORDER BY r."occurredAt", r."id"`;
  const adjustments = new Map<string, { distributorId: string; originPeriodKey: string; volume: RefundedVolume }>();
  for (const row of reversals) {
    const evaluation = evaluationFromJson(row.evaluation);
    const reversal = reversalFromJson(row.result);
    const sameOrigin = row.orderedAt >= start && row.orderedAt < end;
    const taken = refundedVolume(evaluation.orderLines, reversal.refundedLines, row.progress.refundedQuantity ?? {});
    const owner = ownerOf(evaluation);
    if (owner !== null && (taken.pvHundredths > 0n || taken.cvHundredths > 0n)) {
      const originPeriodKey = sameOrigin ? period.key : periodContaining(period.schedule, row.orderedAt.toISOString()).key;
      const key = `${owner}\u0000${originPeriodKey}`;
      const sum = adjustments.get(key);
      adjustments.set(key, { distributorId: owner, originPeriodKey, volume: addVolumes(sum?.volume ?? NO_VOLUME, taken) });
    }
    if (!sameOrigin) continue;
    for (const line of reversal.lines) addEarning(line.distributorId, line.rule, line.currency, line.amountMinor);
    if (evaluation.currency === currency) salesBaseMinor -= taken.baseMinor;
  }

  return {
    volumes: [...volumes].map(([distributorId, sum]) => ({ distributorId, pvHundredths: sum.pv, cvHundredths: sum.cv })),
    volumeAdjustments: [...adjustments.values()].map(({ distributorId, originPeriodKey, volume }) => ({
      distributorId,
      originPeriodKey,
      pvHundredths: volume.pvHundredths,
      cvHundredths: volume.cvHundredths,
    })),
    // A fully reversed (rule, recipient) earns nothing: dropped rather than passed as a zero.
    earnings: [...earnings.values()].filter((earning) => earning.amountMinor !== 0n),
    salesBaseMinor,
    orders,
    reversals: reversals.length,
  };
}

function ownerOf(evaluation: EvaluationResult): string | null {
  return volumeOwner(evaluation.snapshot.buyer?.distributorId, evaluation);
}
