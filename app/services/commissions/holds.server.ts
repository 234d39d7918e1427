/**
 * Hold releases: a commission stays in the pending wallet until the shop's refund window after the order has
 * passed (Commission.heldUntil), then what is left of it after refunds moves to the available wallet. One
 * release transaction per (order, rule, recipient), keyed, so running the job twice releases nothing twice.
 * Refunds that arrive later claw back from the available wallet, which may go below zero (the debt carries).
 */
import type { Db } from "~/db.server";
import { evaluationFromJson } from "~/domain/engine";
import { buildHoldReleasesForOrder } from "~/domain/ledger";
import { Prisma } from "~/generated/prisma/client";
import type { Tx } from "~/db/tx.server";
import { postTransactions } from "~/services/ledger/post.server";
import { lockCommission } from "./commission-record.server";
import { reversalFromJson } from "./reversal-json.server";

export interface HoldReleaseRun {
  readonly commissions: number;
  readonly transactions: number;
}

export async function releaseDueHolds(db: Db, options: { now?: Date; batchSize?: number; shopId?: string } = {}): Promise<HoldReleaseRun> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? 200;
  let commissions = 0;
  let transactions = 0;
  for (;;) {
    const due = await db.$queryRaw<{ id: string; shopId: string }[]>`
      SELECT "id", "shopId" FROM "Commission"
      WHERE "heldUntil" <= ${now} AND "releasedAt" IS NULL AND "outcome" = 'evaluated' AND "paidMinor" > 0
        ${options.shopId ? Prisma.sql`AND "shopId" = ${options.shopId}::uuid` : Prisma.empty}
      ORDER BY "heldUntil" LIMIT ${batchSize}`;
    // One transaction per order: a failure leaves the others released and this one for the next run.
    for (const row of due) {
      const posted = await db.$transaction((tx) => releaseCommission(tx, row.shopId, row.id, now));
      commissions += 1;
      transactions += posted;
    }
    if (due.length < batchSize) return { commissions, transactions };
  }
}

/** Releases one order's held commission; the number of release transactions written (0 if already done). */
export async function releaseCommission(tx: Tx, shopId: string, commissionId: string, now: Date): Promise<number> {
  const commission = await lockCommission(tx, shopId, commissionId);
  if (!commission || commission.releasedAt !== null || commission.outcome !== "evaluated" || commission.evaluation === null) return 0;
  const evaluation = evaluationFromJson(commission.evaluation);
  const reversals = await tx.commissionReversal.findMany({
    where: { shopId, commissionId, status: "applied" },
    select: { result: true },
    orderBy: { sequence: "asc" },
  });
  const drafts = buildHoldReleasesForOrder({
    shopId,
    evaluation,
    reversals: reversals.map((reversal) => reversalFromJson(reversal.result!)),
    occurredAt: now.toISOString(),
  });
  const posted = await postTransactions(tx, shopId, drafts);
  // Marks the stage: reversals after this instant come out of the available wallet.
  await tx.commission.updateMany({ where: { id: commissionId, shopId, releasedAt: null }, data: { releasedAt: now } });
  return posted.transactions;
}
