/**
 * Re-opening a closed period: an explicit, audited action (who, why), never an edit. Nothing posted is touched;
 * the period goes back to "reopened" and its next close posts only the corrections (close-period.server.ts).
 */
import type { Db } from "~/db.server";
import { PeriodServiceError } from "./errors.server";

export interface ReopenRequest {
  readonly actor: string;
  readonly reason: string;
  readonly now?: Date;
}

export async function reopenCommissionPeriod(db: Db, shopId: string, periodId: string, request: ReopenRequest) {
  const reason = request.reason.trim();
  if (reason === "") throw new PeriodServiceError("reason_required", "a re-open needs a reason");
  const now = request.now ?? new Date();
  return db.$transaction(async (tx) => {
    const [period] = await tx.$queryRaw<{ id: string; key: string; status: string; revision: number }[]>`
      SELECT "id", "key", "status"::text AS status, "revision" FROM "CommissionPeriod"
      WHERE "shopId" = ${shopId}::uuid AND "id" = ${periodId}::uuid FOR UPDATE`;
    if (!period) throw new PeriodServiceError("period_not_found", `no period ${periodId} in this shop`);
    if (period.status !== "closed") throw new PeriodServiceError("period_not_closed", `period ${period.key} is ${period.status}, not closed`);
    await tx.commissionPeriod.update({
      where: { id: period.id },
      data: { status: "reopened", reopenedAt: now, reopenedBy: request.actor, reopenReason: reason },
    });
    await tx.periodCloseRun.create({
      data: {
        shopId,
        periodId: period.id,
        action: "reopen",
        revision: period.revision,
        actor: request.actor,
        reason,
        summary: { reopenedRevision: period.revision },
      },
    });
    await tx.auditLog.create({
      data: {
        shopId,
        actor: request.actor,
        action: "period.reopened",
        entityType: "CommissionPeriod",
        entityId: period.id,
        reason,
        before: { status: "closed", revision: period.revision },
        after: { status: "reopened" },
      },
    });
    return { periodId: period.id, key: period.key, status: "reopened" as const, revision: period.revision };
  });
}
