/**
 * Placing a recruit in the shop's placement tree (binary or forced matrix), by the domain's rules
 * (app/domain/genealogy/placement.ts): this loads exactly the part of the current tree a rule reads, lets the
 * rule decide, and writes the edge.
 *
 *   extreme-outside   the sponsor's outside line on that leg (one recursive query)
 *   weaker-leg        member counts of the sponsor's two legs, then the outside line of the weaker one
 *   breadth-first / matrix   the sponsor's subtree level by level, stopping at the first level with an open slot
 *
 * Decisions read the tree as of the placement instant `at`, so a back-dated enrollment lands where the tree
 * had room then: a member in force at `at` can take children; a slot held at any time from `at` on (by a
 * member who joined or moved in later) is taken, since the new edge runs from `at` with no end and would
 * otherwise overlap theirs. Placements of one shop are serialized by an advisory lock, and the partial unique
 * index PlacementEdge_one_occupant_key refuses two occupants of one slot whatever happens.
 */
import { BINARY_POSITION } from "~/domain/genealogy/binary-placement";
import { placeRecruit, type PlacementDecision, type PlacementStructure } from "~/domain/genealogy/placement";
import type { PlacedChild, PlacementTreeView } from "~/domain/genealogy/tree";
import type { Tx } from "~/db/tx.server";

interface ChildRow {
  distributorId: string;
  parentId: string;
  position: number;
  /** The edge starts after the placement instant: the slot is taken, but the member was not there yet. */
  later: boolean;
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
  const view = await viewForRule(tx, shopId, sponsorId, structure, at);
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

async function viewForRule(tx: Tx, shopId: string, sponsorId: string, structure: PlacementStructure, at: Date): Promise<PlacementTreeView> {
  if (structure.kind === "matrix") return levelsUntilOpenSlot(tx, shopId, sponsorId, structure.width, structure.depth, at);
  const rule = structure.spillover;
  if (rule.kind === "breadth-first") return levelsUntilOpenSlot(tx, shopId, sponsorId, 2, Number.POSITIVE_INFINITY, at);
  if (rule.kind === "extreme-outside") {
    const line = await outsideLine(tx, shopId, sponsorId, BINARY_POSITION[rule.leg], at);
    if (!line.some((row) => row.later)) return viewOf(line);
    // The line ends at a later member's slot (a back-dated placement): the rule then searches breadth-first.
    return viewOf([...line, ...(await levelsUntilOpenSlot(tx, shopId, sponsorId, 2, Number.POSITIVE_INFINITY, at)).rows]);
  }
  const lines = await Promise.all([0, 1].map((position) => outsideLine(tx, shopId, sponsorId, position, at)));
  const cut = lines.flat().some((row) => row.later);
  const rows = cut ? (await levelsUntilOpenSlot(tx, shopId, sponsorId, 2, Number.POSITIVE_INFINITY, at)).rows : await childrenOf(tx, shopId, [sponsorId], at);
  const frontline = rows.filter((row) => row.parentId === sponsorId);
  const counts = new Map<string, number>();
  for (const child of frontline) counts.set(nodeKey(child), child.later ? 0 : await subtreeSize(tx, shopId, child.distributorId, at));
  return viewOf([...rows, ...lines.flat()], (nodeId) => counts.get(nodeId) ?? 1);
}

/** A later member stands in the view under a key of its own: it holds its slot, is never walked below. */
function nodeKey(row: ChildRow): string {
  return row.later ? `${row.distributorId}#later` : row.distributorId;
}

function viewOf(rows: readonly ChildRow[], countMembers?: (nodeId: string) => number): PlacementTreeView & { rows: readonly ChildRow[] } {
  const children = new Map<string, PlacedChild[]>();
  const seen = new Set<string>();
  const later = new Set<string>();
  for (const row of rows) {
    const key = nodeKey(row);
    if (seen.has(`${row.parentId}/${key}`)) continue;
    seen.add(`${row.parentId}/${key}`);
    if (row.later) later.add(key);
    const list = children.get(row.parentId) ?? [];
    list.push({ nodeId: key, position: row.position });
    children.set(row.parentId, list);
  }
  return {
    rows,
    childrenOf: (parentId) => children.get(parentId) ?? [],
    acceptsChildren: (nodeId) => !later.has(nodeId),
    ...(countMembers ? { countMembers } : {}),
  };
}

/** Edges under `parentIds` that hold a slot at `at` or at any time after it. */
function childrenOf(tx: Tx, shopId: string, parentIds: readonly string[], at: Date) {
  return tx.$queryRaw<ChildRow[]>`
    SELECT "distributorId", "parentId", "position"::int AS position, "validFrom" > ${at} AS later FROM "PlacementEdge"
    WHERE "shopId" = ${shopId}::uuid AND "parentId" = ANY(${parentIds}::uuid[]) AND ("validTo" IS NULL OR "validTo" > ${at})`;
}

/** The sponsor's subtree one level per query, down to the first level where some node has an open slot. */
async function levelsUntilOpenSlot(tx: Tx, shopId: string, sponsorId: string, width: number, maxDepth: number, at: Date) {
  const loaded: ChildRow[] = [];
  let level = [sponsorId];
  for (let depth = 1; depth <= maxDepth && level.length > 0; depth += 1) {
    const rows = await childrenOf(tx, shopId, level, at);
    loaded.push(...rows);
    const taken = new Map<string, number>();
    for (const row of rows) if (row.position < width) taken.set(row.parentId, (taken.get(row.parentId) ?? 0) + 1);
    if (level.some((nodeId) => (taken.get(nodeId) ?? 0) < width)) break;
    // Later members hold their slots but take no children at `at`: the walk goes on below the others only.
    level = rows.filter((row) => !row.later).map((row) => row.distributorId);
  }
  return viewOf(loaded);
}

/**
 * The line from the sponsor down through `position` at every step (its extreme outside on that leg), as of
 * `at`; it ends at the first slot held by a later member (that member's own line did not exist yet).
 */
function outsideLine(tx: Tx, shopId: string, sponsorId: string, position: number, at: Date) {
  return tx.$queryRaw<ChildRow[]>`
    WITH RECURSIVE line AS (
      SELECT e."distributorId", e."parentId", e."position"::int AS position, e."validFrom" > ${at} AS later
      FROM "PlacementEdge" e
      WHERE e."shopId" = ${shopId}::uuid AND e."parentId" = ${sponsorId}::uuid AND e."position" = ${position}
        AND (e."validTo" IS NULL OR e."validTo" > ${at})
      UNION ALL
      SELECT e."distributorId", e."parentId", e."position", e.later
      FROM line l
      -- LATERAL … OFFSET 0: one probe of the slot index per step, never a rescan (see queries.server.ts).
      CROSS JOIN LATERAL (
        SELECT x."distributorId", x."parentId", x."position"::int AS position, x."validFrom" > ${at} AS later FROM "PlacementEdge" x
        WHERE x."shopId" = ${shopId}::uuid AND x."parentId" = l."distributorId" AND x."position" = ${position}
          AND (x."validTo" IS NULL OR x."validTo" > ${at})
        OFFSET 0
      ) e
      WHERE NOT l.later
    ) CYCLE "distributorId" SET looped USING path
    SELECT "distributorId", "parentId", position, later FROM line WHERE NOT looped`;
}

/** Members of the placement subtree rooted at `nodeId` as of `at`, itself included. */
async function subtreeSize(tx: Tx, shopId: string, nodeId: string, at: Date): Promise<number> {
  const [row] = await tx.$queryRaw<{ size: number }[]>`
    WITH RECURSIVE sub AS (
      SELECT ${nodeId}::uuid AS id
      UNION ALL
      SELECT e."distributorId" FROM sub
      CROSS JOIN LATERAL (
        SELECT x."distributorId" FROM "PlacementEdge" x
        WHERE x."shopId" = ${shopId}::uuid AND x."parentId" = sub.id
          AND x."validFrom" <= ${at} AND (x."validTo" IS NULL OR x."validTo" > ${at})
        OFFSET 0
      ) e
    ) CYCLE id SET looped USING path
    SELECT count(*)::int AS size FROM sub WHERE NOT looped`;
  return row?.size ?? 1;
}
