/**
 * ADR 0008: a provisional buyer's first referred order sets their sponsor. The move goes through the genealogy's
 * own move service (cycle checks, the GenealogyMove row, the audit row), inside the order's transaction, before
 * the chain is read, so the order pays from the new sponsor up and every later answer about the tree agrees.
 *
 * The provisional mark is claimed first (UPDATE … WHERE still provisional): two orders of the same buyer computed
 * at once cannot both move them; the second waits for the first's row lock, finds the mark gone, and decides
 * again without it. A move the genealogy refuses (the referrer is in the buyer's own downline, …) leaves the
 * buyer provisional, and the order is attributed by the ordinary rules with the refusal in its reason.
 */
import { decideAttribution, type AttributionCandidate } from "~/domain/attribution/attribution";
import { GenealogyError } from "~/domain/genealogy/errors";
import type { Tx } from "~/db/tx.server";
import { GenealogyServiceError } from "~/services/genealogy/errors.server";
import { moveSponsor } from "~/services/genealogy/move-sponsor.server";
import type { CommissionContext } from "./commission-context.server";
import type { OrderForCommission } from "./order-input.server";

export const PROVISIONAL_SPONSOR_ACTOR = "attribution:provisional-sponsor";

type OrderInput = Pick<OrderForCommission, "orderedAt" | "referrals" | "platform" | "engineOrder">;

/** The context to compute with: the move recorded, or the ordinary decision with the reason it was not. */
export async function settleProvisionalSponsor(tx: Tx, shopId: string, order: OrderInput, context: CommissionContext): Promise<CommissionContext> {
  const attribution = context.attribution;
  const change = attribution?.sponsorChange;
  if (!attribution || !change) return context;

  await tx.$executeRaw`SAVEPOINT provisional_sponsor`;
  const claimed = await tx.$executeRaw`
    UPDATE "Distributor" SET "provisionalSponsorUntil" = NULL, "updatedAt" = now()
    WHERE "shopId" = ${shopId}::uuid AND "id" = ${attribution.distributorId}::uuid
      AND "provisionalSponsorUntil" IS NOT NULL AND "provisionalSponsorUntil" >= ${order.orderedAt}`;
  if (claimed === 0) {
    await tx.$executeRaw`RELEASE SAVEPOINT provisional_sponsor`;
    return decideWithout(context, order, "another order settled their sponsor first");
  }
  try {
    await moveSponsor(tx, shopId, {
      distributorId: attribution.distributorId,
      newSponsor: change.newSponsorId,
      effectiveFrom: change.effectiveFrom,
      reason: `provisional sponsor set by ${order.platform} order ${order.engineOrder.orderId} (${change.via} ${attribution.code ?? change.newSponsorCode})`,
      actor: PROVISIONAL_SPONSOR_ACTOR,
    });
  } catch (error) {
    if (!(error instanceof GenealogyServiceError || error instanceof GenealogyError)) throw error;
    // The buyer stays provisional: a later referred order may still place them.
    await tx.$executeRaw`ROLLBACK TO SAVEPOINT provisional_sponsor`;
    await tx.$executeRaw`RELEASE SAVEPOINT provisional_sponsor`;
    return decideWithout(context, order, `the move under ${change.newSponsorCode} was refused: ${error.message}`);
  }
  await tx.$executeRaw`RELEASE SAVEPOINT provisional_sponsor`;
  return context;
}

function decideWithout(context: CommissionContext, order: OrderInput, why: string): CommissionContext {
  const settled: AttributionCandidate[] = context.attributionCandidates.map((candidate) =>
    candidate.kind === "buyer" ? { ...candidate, provisionalUntil: null } : candidate,
  );
  const decision = decideAttribution(order, settled);
  return { ...context, attribution: decision.attribution, attributionReason: `${decision.reason}; no provisional sponsor change: ${why}` };
}
