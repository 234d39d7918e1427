/**
 * Changing a distributor's status (active / inactive / terminated), effective from an instant: the period in
 * force is closed there and a new one opens, so "status at T" keeps its answer for every T before the change.
 * No period at or before T means "active since enrolment" (nothing is written at enrolment for the usual case).
 */
import type { DistributorStatus } from "~/domain/engine";
import { inTransaction, type DbOrTx } from "~/db/tx.server";
import { GenealogyServiceError } from "./errors.server";

export interface StatusChange {
  readonly status: DistributorStatus;
  /** Default now. Not in the future: Distributor.status must stay the status now. */
  readonly effectiveFrom?: Date;
  readonly actor: string;
  readonly reason?: string;
}

/** Clock skew tolerated between the caller and the database for "now". */
const FUTURE_TOLERANCE_MS = 5_000;

export function changeDistributorStatus(client: DbOrTx, shopId: string, distributorId: string, change: StatusChange): Promise<void> {
  const effectiveFrom = change.effectiveFrom ?? new Date();
  if (Number.isNaN(effectiveFrom.getTime())) throw new GenealogyServiceError("invalid_date", "effectiveFrom is not a valid date");
  if (effectiveFrom.getTime() > Date.now() + FUTURE_TOLERANCE_MS) {
    throw new GenealogyServiceError("invalid_status_change", "a status change cannot be scheduled in the future");
  }
  return inTransaction(client, async (tx) => {
    // Row lock: two changes of one distributor are serialized, so exactly one closes the current period.
    const locked = await tx.$queryRaw<{ status: DistributorStatus; enrolledAt: Date }[]>`
      SELECT "status"::text AS status, "enrolledAt" FROM "Distributor"
      WHERE "id" = ${distributorId}::uuid AND "shopId" = ${shopId}::uuid FOR UPDATE`;
    const row = locked[0];
    if (!row) throw new GenealogyServiceError("unknown_distributor", `no distributor ${distributorId} in this shop`);
    const current = await tx.distributorStatusPeriod.findFirst({ where: { shopId, distributorId, validTo: null } });
    const currentStatus: DistributorStatus = current?.status ?? "active";
    const currentFrom = current?.validFrom ?? row.enrolledAt;
    if (currentStatus === change.status) return;
    if (effectiveFrom.getTime() <= currentFrom.getTime()) {
      throw new GenealogyServiceError(
        "invalid_status_change",
        `the change must take effect after ${currentFrom.toISOString()}, when the current status started`,
      );
    }
    if (current) {
      await tx.distributorStatusPeriod.updateMany({
        where: { shopId, distributorId, validFrom: current.validFrom, validTo: null },
        data: { validTo: effectiveFrom },
      });
    }
    await tx.distributorStatusPeriod.create({
      data: { shopId, distributorId, status: change.status, validFrom: effectiveFrom, reason: change.reason ?? null },
    });
    await tx.distributor.updateMany({ where: { id: distributorId, shopId }, data: { status: change.status } });
    await tx.auditLog.create({
      data: {
        shopId,
        actor: change.actor,
        action: "distributor.status_changed",
        entityType: "Distributor",
        entityId: distributorId,
        reason: change.reason ?? null,
        before: { status: currentStatus },
        after: { status: change.status, effectiveFrom: effectiveFrom.toISOString() },
      },
    });
  });
}
