/**
 * Moving a distributor to another sponsor from an instant on (an admin correction). The domain's move rules
 * (app/domain/genealogy/moves.ts) decide whether it is allowed; this loads what they read and writes what they
 * plan: the edge in force is closed at the instant, a new one opens there, and an audit row says who and why.
 * Commissions already computed do not change: each stored its upline snapshot.
 */
import { planSponsorMove } from "~/domain/genealogy/moves";
import type { TreeEdge } from "~/domain/genealogy/tree";
import { inTransaction, type DbOrTx, type Tx } from "~/db/tx.server";
import { GenealogyServiceError } from "./errors.server";
import { findDistributorByIdOrCode } from "./lookup.server";
import { MAX_UPLINE_WALK, uplineAt } from "./upline.server";

export interface SponsorMove {
  readonly distributorId: string;
  /** The new sponsor's id or referral code. */
  readonly newSponsor: string;
  readonly effectiveFrom: Date;
  readonly reason: string;
  readonly actor: string;
}

// The domain's edges always have a parent; a root's edge (sponsorId null) is given this placeholder, which can
// never be a distributor id (ids are uuids), so "already sponsored by" comparisons stay exact.
const ROOT = "(root)";

/** Upper bound of later change instants checked for cycles (scheduled moves elsewhere in the tree). */
const MAX_LATER_CHANGES = 1_000;

export interface RecordedMove {
  readonly moveId: string;
  readonly tree: "sponsor" | "placement";
  readonly fromParentId: string | null;
  readonly toParentId: string;
  readonly position?: number;
  readonly effectiveFrom: Date;
}

export function moveSponsor(client: DbOrTx, shopId: string, move: SponsorMove): Promise<RecordedMove> {
  return inTransaction(client, async (tx) => {
    // One sponsor move at a time per shop: two concurrent moves could each pass the cycle check and together loop.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`sponsor-tree:${shopId}`}, 0))`;
    if (Number.isNaN(move.effectiveFrom.getTime())) throw new GenealogyServiceError("invalid_date", "effectiveFrom is not a valid date");
    const newSponsor = await findDistributorByIdOrCode(tx, shopId, move.newSponsor);
    if (!newSponsor) throw new GenealogyServiceError("unknown_sponsor", `no distributor ${move.newSponsor} in this shop`);

    const rows = await tx.sponsorEdge.findMany({ where: { shopId, distributorId: move.distributorId }, orderBy: { validFrom: "asc" } });
    if (rows.length === 0) throw new GenealogyServiceError("unknown_distributor", `no distributor ${move.distributorId} in this shop`);
    const nodeEdges: TreeEdge[] = rows.map((row) => ({
      nodeId: row.distributorId,
      parentId: row.sponsorId ?? ROOT,
      validFrom: row.validFrom,
      validTo: row.validTo,
    }));
    const laterChangeTimes = await laterChanges(tx, shopId, move.effectiveFrom);
    const parents = await parentMaps(tx, shopId, newSponsor.id, [move.effectiveFrom, ...laterChangeTimes]);

    const plan = planSponsorMove(
      { nodeId: move.distributorId, newParentId: newSponsor.id, effectiveFrom: move.effectiveFrom, reason: move.reason, actor: move.actor },
      { nodeEdges, laterChangeTimes, parentAt: (nodeId, at) => parents.get(at.getTime())?.get(nodeId) ?? null },
    );
    const closed = await tx.sponsorEdge.updateMany({
      where: { shopId, distributorId: move.distributorId, validFrom: plan.close.validFrom, validTo: null },
      data: { validTo: plan.close.validTo },
    });
    if (closed.count !== 1) throw new GenealogyServiceError("invalid_move", "the current sponsor edge changed meanwhile");
    const fromParentId = plan.audit.fromParentId === ROOT ? null : plan.audit.fromParentId;
    const recorded = await tx.genealogyMove.create({
      data: {
        shopId,
        tree: "sponsor",
        distributorId: move.distributorId,
        fromParentId,
        toParentId: newSponsor.id,
        effectiveFrom: move.effectiveFrom,
        reason: plan.audit.reason,
        actor: plan.audit.actor,
      },
      select: { id: true },
    });
    await tx.sponsorEdge.create({
      data: { shopId, distributorId: move.distributorId, sponsorId: newSponsor.id, validFrom: plan.open.validFrom, moveId: recorded.id },
    });
    // Whoever moves them, their sponsor is settled now: no later order may move them again (ADR 0008).
    await tx.$executeRaw`
      UPDATE "Distributor" SET "provisionalSponsorUntil" = NULL, "updatedAt" = now()
      WHERE "shopId" = ${shopId}::uuid AND "id" = ${move.distributorId}::uuid AND "provisionalSponsorUntil" IS NOT NULL`;
    await tx.auditLog.create({
      data: {
        shopId,
        actor: plan.audit.actor,
        action: "distributor.sponsor_moved",
        entityType: "Distributor",
        entityId: move.distributorId,
        reason: plan.audit.reason,
        before: { sponsorId: fromParentId },
        after: { sponsorId: newSponsor.id, effectiveFrom: move.effectiveFrom.toISOString(), moveId: recorded.id },
      },
    });
    return { moveId: recorded.id, tree: "sponsor" as const, fromParentId, toParentId: newSponsor.id, effectiveFrom: move.effectiveFrom };
  });
}

/**
 * Instants after `after` at which the sponsor tree changes shape above existing nodes: scheduled moves. An
 * enrolment only adds a leaf, which cannot close a loop, so enrolments need no check of their own.
 */
async function laterChanges(tx: Tx, shopId: string, after: Date): Promise<Date[]> {
  const rows = await tx.$queryRaw<{ at: Date }[]>`
    SELECT DISTINCT "effectiveFrom" AS at FROM "GenealogyMove"
    WHERE "shopId" = ${shopId}::uuid AND "tree" = 'sponsor' AND "effectiveFrom" > ${after}
    ORDER BY at LIMIT ${MAX_LATER_CHANGES}`;
  return rows.map((row) => row.at);
}

/** For each instant, parent-of along the new sponsor's upline: all the cycle check walks. */
async function parentMaps(tx: Tx, shopId: string, newSponsorId: string, instants: readonly Date[]) {
  const maps = new Map<number, Map<string, string>>();
  for (const at of instants) {
    const chain = await uplineAt(tx, shopId, newSponsorId, at, MAX_UPLINE_WALK);
    if (at === instants[0] && chain.length === 0) {
      throw new GenealogyServiceError("sponsor_not_enrolled", `the new sponsor is not in the tree at ${at.toISOString()}`);
    }
    const parents = new Map<string, string>();
    chain.forEach((node, index) => {
      const parent = chain[index + 1];
      if (parent) parents.set(node.distributorId, parent.distributorId);
    });
    maps.set(at.getTime(), parents);
  }
  return maps;
}
