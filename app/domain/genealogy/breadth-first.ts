/**
 * The breadth-first open-slot search behind forced-matrix placement and binary "breadth-first" spillover:
 * top to bottom, and on each level left to right in slot-path order.
 */
import { CorruptTreeError } from "./errors";
import { acceptsChildren, orderedChildren, type PlacementTreeView } from "./tree";

export interface OpenSlot {
  readonly parentId: string;
  readonly position: number;
  readonly levelBelowSponsor: number;
  /** The sponsor's slot whose branch holds this slot (the slot's own position at level 1): the recruit's leg. */
  readonly branchPosition: number;
}

/**
 * The first slot below `rootId` (within `maxDepth` levels) that has no child, for nodes of `width` slots.
 * A level-by-level walk: every node of level L is examined, left to right, before any node of level L + 1,
 * and the next level is collected in slot-path order because each parent's children are taken in position order.
 * A node the view says cannot take children (a later member, for a back-dated placement) holds its slot but is
 * neither a parent candidate nor walked below.
 */
export function firstOpenSlotBreadthFirst(view: PlacementTreeView, rootId: string, width: number, maxDepth: number): OpenSlot | null {
  // branchPosition is unknown (-1) only for the root, whose open slots are their own branch.
  let level: { nodeId: string; branchPosition: number }[] = [{ nodeId: rootId, branchPosition: -1 }];
  // A loop in the stored tree would otherwise make this walk forever; moves refuse cycles, so this is a data bug.
  const seen = new Set<string>([rootId]);
  for (let levelBelowSponsor = 1; levelBelowSponsor <= maxDepth && level.length > 0; levelBelowSponsor += 1) {
    const nextLevel: typeof level = [];
    for (const { nodeId, branchPosition } of level) {
      if (!acceptsChildren(view, nodeId)) continue;
      const children = orderedChildren(view, nodeId);
      const position = firstOpenPosition(children, width);
      if (position !== null) {
        return { parentId: nodeId, position, levelBelowSponsor, branchPosition: branchPosition < 0 ? position : branchPosition };
      }
      for (const child of children) {
        if (seen.has(child.nodeId)) throw new CorruptTreeError(child.nodeId, `it appears twice below ${rootId}`);
        seen.add(child.nodeId);
        nextLevel.push({ nodeId: child.nodeId, branchPosition: branchPosition < 0 ? child.position : branchPosition });
      }
    }
    level = nextLevel;
  }
  return null;
}

function firstOpenPosition(children: readonly { position: number }[], width: number): number | null {
  const taken = new Set(children.map((child) => child.position));
  for (let position = 0; position < width; position += 1) {
    if (!taken.has(position)) return position;
  }
  return null;
}
