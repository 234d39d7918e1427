/**
 * Placing a recruit in the shop's placement tree (binary or forced matrix), by the domain's rules
 * (app/domain/genealogy/placement.ts): this loads exactly the part of the current tree a rule reads, lets the
 * rule decide, and writes the edge.
 *
 *   extreme-outside   the sponsor's outside line on that leg (one recursive query)
 *   weaker-leg        member counts of the sponsor's two legs, then the outside line of the weaker one
 *   breadth-first / matrix   the sponsor's subtree level by level, stopping at the first level with an open slot
 *
 * Decisions read the current tree (open-ended edges). Placements of one shop are serialized by an advisory lock,
 * and the partial unique index PlacementEdge_one_occupant_key refuses two occupants of one slot whatever happens.
 */
import { BINARY_POSITION } from "~/domain/genealogy/binary-placement";
import { placeRecruit, type PlacementDecision, type PlacementStructure } from "~/domain/genealogy/placement";
import type { PlacedChild, PlacementTreeView } from "~/domain/genealogy/tree";
import type { Tx } from "~/db/tx.server";

interface ChildRow {
  distributorId: string;
  parentId: string;
  position: number;
}

export function lockPlacementTree(tx: Tx, shopId: string) {
  return tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`placement-tree:${shopId}`}, 0))`;
}

/**
 * Places `recruitId` under `sponsorId`'s part of the placement tree from `at` on. A sponsor who is not placed
 * yet (enrolled before the shop chose a placement plan) becomes a placement root first.
 */
export async function placeInTree(
  tx: Tx,
  shopId: string,
  recruitId: string,
  sponsorId: string | null,
  at: Date,
  structure: PlacementStructure,
): Promise<PlacementDecision | null> {
  await lockPlacementTree(tx, shopId);
  if (sponsorId === null) {
    await insertRootEdge(tx, shopId, recruitId, at);
    return null;
  }
  await ensurePlaced(tx, shopId, sponsorId, at);
  const view = await viewForRule(tx, shopId, sponsorId, structure);
  const decision = placeRecruit(view, sponsorId, structure);
  await tx.$executeRaw`
    INSERT INTO "PlacementEdge" ("shopId", "distributorId", "validFrom", "parentId", "position")
    VALUES (${shopId}::uuid, ${recruitId}::uuid, ${at}, ${decision.parentId}::uuid, ${decision.position}::smallint)`;
  return decision;
}

async function ensurePlaced(tx: Tx, shopId: string, distributorId: string, at: Date) {
  const rows = await tx.$queryRaw<{ found: number }[]>`
    SELECT 1 AS found FROM "PlacementEdge"
    WHERE "shopId" = ${shopId}::uuid AND "distributorId" = ${distributorId}::uuid AND "validTo" IS NULL LIMIT 1`;
  if (rows.length > 0) return;
  const [node] = await tx.$queryRaw<{ enrolledAt: Date }[]>`
    SELECT "enrolledAt" FROM "Distributor" WHERE "shopId" = ${shopId}::uuid AND "id" = ${distributorId}::uuid`;
  const since = node && node.enrolledAt.getTime() <= at.getTime() ? node.enrolledAt : at;
  await insertRootEdge(tx, shopId, distributorId, since);
}

function insertRootEdge(tx: Tx, shopId: string, distributorId: string, at: Date) {
  return tx.$executeRaw`
    INSERT INTO "PlacementEdge" ("shopId", "distributorId", "validFrom", "parentId", "position")
    VALUES (${shopId}::uuid, ${distributorId}::uuid, ${at}, NULL, NULL)
    ON CONFLICT DO NOTHING`;
}

async function viewForRule(tx: Tx, shopId: string, sponsorId: string, structure: PlacementStructure): Promise<PlacementTreeView> {
  if (structure.kind === "matrix") return levelsUntilOpenSlot(tx, shopId, sponsorId, structure.width, structure.depth);
  const rule = structure.spillover;
  if (rule.kind === "breadth-first") return levelsUntilOpenSlot(tx, shopId, sponsorId, 2, Number.POSITIVE_INFINITY);
  if (rule.kind === "extreme-outside") return viewOf(await outsideLine(tx, shopId, sponsorId, BINARY_POSITION[rule.leg]));
  const frontline = await childrenOf(tx, shopId, [sponsorId]);
  const counts = new Map<string, number>();
  for (const child of frontline) counts.set(child.distributorId, await subtreeSize(tx, shopId, child.distributorId));
  const lines = await Promise.all([0, 1].map((position) => outsideLine(tx, shopId, sponsorId, position)));
  return viewOf([...frontline, ...lines.flat()], (nodeId) => counts.get(nodeId) ?? 1);
}

function viewOf(rows: readonly ChildRow[], countMembers?: (nodeId: string) => number): PlacementTreeView {
  const children = new Map<string, PlacedChild[]>();
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.distributorId)) continue;
    seen.add(row.distributorId);
    const list = children.get(row.parentId) ?? [];
    list.push({ nodeId: row.distributorId, position: row.position });
    children.set(row.parentId, list);
  }
  return { childrenOf: (parentId) => children.get(parentId) ?? [], ...(countMembers ? { countMembers } : {}) };
}

function childrenOf(tx: Tx, shopId: string, parentIds: readonly string[]) {
  return tx.$queryRaw<ChildRow[]>`
    SELECT "distributorId", "parentId", "position"::int AS position FROM "PlacementEdge"
    WHERE "shopId" = ${shopId}::uuid AND "parentId" = ANY(${parentIds}::uuid[]) AND "validTo" IS NULL`;
}

/** The sponsor's subtree one level per query, down to the first level where some node has an open slot. */
async function levelsUntilOpenSlot(tx: Tx, shopId: string, sponsorId: string, width: number, maxDepth: number) {
  const loaded: ChildRow[] = [];
  let level = [sponsorId];
  for (let depth = 1; depth <= maxDepth && level.length > 0; depth += 1) {
    const rows = await childrenOf(tx, shopId, level);
    loaded.push(...rows);
    const taken = new Map<string, number>();
    for (const row of rows) if (row.position < width) taken.set(row.parentId, (taken.get(row.parentId) ?? 0) + 1);
    if (level.some((nodeId) => (taken.get(nodeId) ?? 0) < width)) break;
    level = rows.map((row) => row.distributorId);
  }
  return viewOf(loaded);
}

/** The line from the sponsor down through `position` at every step (its extreme outside on that leg). */
function outsideLine(tx: Tx, shopId: string, sponsorId: string, position: number) {
  return tx.$queryRaw<ChildRow[]>`
    WITH RECURSIVE line AS (
      SELECT e."distributorId", e."parentId", e."position"::int AS position
      FROM "PlacementEdge" e
      WHERE e."shopId" = ${shopId}::uuid AND e."parentId" = ${sponsorId}::uuid AND e."position" = ${position} AND e."validTo" IS NULL
      UNION ALL
      SELECT e."distributorId", e."parentId", e."position"
      FROM line l
      -- LATERAL … OFFSET 0: one probe of the slot index per step, never a rescan (see queries.server.ts).
      CROSS JOIN LATERAL (
        SELECT x."distributorId", x."parentId", x."position"::int AS position FROM "PlacementEdge" x
        WHERE x."shopId" = ${shopId}::uuid AND x."parentId" = l."distributorId" AND x."position" = ${position} AND x."validTo" IS NULL
        OFFSET 0
      ) e
    ) CYCLE "distributorId" SET looped USING path
    SELECT "distributorId", "parentId", position FROM line WHERE NOT looped`;
}

/** Members of the current placement subtree rooted at `nodeId`, itself included. */
async function subtreeSize(tx: Tx, shopId: string, nodeId: string): Promise<number> {
  const [row] = await tx.$queryRaw<{ size: number }[]>`
    WITH RECURSIVE sub AS (
      SELECT ${nodeId}::uuid AS id
      UNION ALL
      SELECT e."distributorId" FROM sub
      CROSS JOIN LATERAL (
        SELECT x."distributorId" FROM "PlacementEdge" x
        WHERE x."shopId" = ${shopId}::uuid AND x."parentId" = sub.id AND x."validTo" IS NULL
        OFFSET 0
      ) e
    ) CYCLE id SET looped USING path
    SELECT count(*)::int AS size FROM sub WHERE NOT looped`;
  return row?.size ?? 1;
}
