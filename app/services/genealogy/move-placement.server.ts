/**
 * Moving a distributor to another slot of the placement tree (binary leg or matrix position) from an instant on,
 * as an admin correction with a reason. Same shape as the sponsor move (move-sponsor.server.ts): the domain
 * (planPlacementMove) refuses cycles at the move instant and at every later scheduled change, slots outside the
 * plan's width and slots held from that instant on; this loads what it reads and writes what it plans. The
 * moved node's whole placement subtree moves with it. Commissions already computed keep their snapshots.
 */
import { planPlacementMove } from "~/domain/genealogy/moves";
import type { PlacementEdge } from "~/domain/genealogy/tree";
import { inTransaction, type DbOrTx, type Tx } from "~/db/tx.server";
import { GenealogyServiceError } from "./errors.server";
import { findDistributorByIdOrCode } from "./lookup.server";
import type { RecordedMove } from "./move-sponsor.server";
import { lockPlacementTree } from "./placement.server";
import { genealogySettings, placementWidth } from "./settings.server";
import { chainIdsAt } from "./upline.server";

export interface PlacementMove {
  readonly distributorId: string;
  /** The new placement parent's id or referral code. */
  readonly newParent: string;
  readonly position: number;
  readonly effectiveFrom: Date;
  readonly reason: string;
  readonly actor: string;
}

// A placement root has no parent; the domain's edges always have one (see move-sponsor.server.ts).
const ROOT = "(root)";
const MAX_LATER_CHANGES = 1_000;

export function movePlacement(client: DbOrTx, shopId: string, move: PlacementMove): Promise<RecordedMove> {
  return inTransaction(client, async (tx) => {
    if (Number.isNaN(move.effectiveFrom.getTime())) throw new GenealogyServiceError("invalid_date", "effectiveFrom is not a valid date");
    const width = placementWidth((await genealogySettings(tx, shopId)).placement);
    if (width === null) throw new GenealogyServiceError("no_placement_tree", "this shop's plan has no placement tree (binary or matrix)");
    await lockPlacementTree(tx, shopId);
    const newParent = await findDistributorByIdOrCode(tx, shopId, move.newParent);
    if (!newParent) throw new GenealogyServiceError("unknown_sponsor", `no distributor ${move.newParent} in this shop`);

    const nodeEdges = (await tx.placementEdge.findMany({ where: { shopId, distributorId: move.distributorId }, orderBy: { validFrom: "asc" } })).map(toDomain);
    if (nodeEdges.length === 0) throw new GenealogyServiceError("unknown_distributor", `${move.distributorId} is not in the placement tree`);
    const newParentChildEdges = (await tx.placementEdge.findMany({ where: { shopId, parentId: newParent.id } })).map(toDomain);
    // Scheduled moves only: an enrolment adds a leaf, which cannot close a loop.
    const laterRows = await tx.$queryRaw<{ at: Date }[]>`
      SELECT DISTINCT "effectiveFrom" AS at FROM "GenealogyMove"
      WHERE "shopId" = ${shopId}::uuid AND "tree" = 'placement' AND "effectiveFrom" > ${move.effectiveFrom}
      ORDER BY at LIMIT ${MAX_LATER_CHANGES}`;
    const laterChangeTimes = laterRows.map((row) => row.at);
    const parents = new Map<number, Map<string, string>>();
    for (const at of [move.effectiveFrom, ...laterChangeTimes]) {
      const chain = await placementChainAt(tx, shopId, newParent.id, at);
      if (at === move.effectiveFrom && chain.length === 0) {
        throw new GenealogyServiceError("sponsor_not_enrolled", `the new parent is not in the placement tree at ${at.toISOString()}`);
      }
      parents.set(at.getTime(), new Map(chain.slice(0, -1).map((id, index) => [id, chain[index + 1]!])));
    }

    const plan = planPlacementMove(
      {
        nodeId: move.distributorId,
        newParentId: newParent.id,
        position: move.position,
        effectiveFrom: move.effectiveFrom,
        reason: move.reason,
        actor: move.actor,
      },
      { nodeEdges, newParentChildEdges, width, laterChangeTimes, parentAt: (nodeId, at) => parents.get(at.getTime())?.get(nodeId) ?? null },
    );
    const closed = await tx.placementEdge.updateMany({
      where: { shopId, distributorId: move.distributorId, validFrom: plan.close.validFrom, validTo: null },
      data: { validTo: plan.close.validTo },
    });
    if (closed.count !== 1) throw new GenealogyServiceError("invalid_move", "the current placement edge changed meanwhile");
    const fromParentId = plan.audit.fromParentId === ROOT ? null : plan.audit.fromParentId;
    const recorded = await tx.genealogyMove.create({
      data: {
        shopId,
        tree: "placement",
        distributorId: move.distributorId,
        fromParentId,
        toParentId: newParent.id,
        position: move.position,
        effectiveFrom: move.effectiveFrom,
        reason: plan.audit.reason,
        actor: plan.audit.actor,
      },
      select: { id: true },
    });
    await tx.placementEdge.create({
      data: { shopId, distributorId: move.distributorId, parentId: newParent.id, position: move.position, validFrom: plan.open.validFrom, moveId: recorded.id },
    });
    await tx.auditLog.create({
      data: {
        shopId,
        actor: plan.audit.actor,
        action: "distributor.placement_moved",
        entityType: "Distributor",
        entityId: move.distributorId,
        reason: plan.audit.reason,
        before: { parentId: fromParentId, position: plan.close.position },
        after: { parentId: newParent.id, position: move.position, effectiveFrom: move.effectiveFrom.toISOString(), moveId: recorded.id },
      },
    });
    return { moveId: recorded.id, tree: "placement", fromParentId, toParentId: newParent.id, position: move.position, effectiveFrom: move.effectiveFrom };
  });
}

function toDomain(row: { distributorId: string; parentId: string | null; position: number | null; validFrom: Date; validTo: Date | null }): PlacementEdge {
  return { nodeId: row.distributorId, parentId: row.parentId ?? ROOT, position: row.position ?? -1, validFrom: row.validFrom, validTo: row.validTo };
}

/** The placement chain from `distributorId` itself up to its root as of `at` (ids only). */
export function placementChainAt(tx: Tx, shopId: string, distributorId: string, at: Date): Promise<string[]> {
  return chainIdsAt(tx, "placement", shopId, distributorId, at);
}
