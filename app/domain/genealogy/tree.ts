/**
 * The shapes the genealogy rules read. The sponsor tree (who enrolled whom) and the placement tree (where a
 * distributor sits in a binary or matrix structure) are separate trees of the same kind of edge; a sponsor
 * edge simply has no position.
 *
 * The rules never query anything: the service loads the rows it needs (edges as of one instant) and hands
 * them over through `PlacementTreeView`, so the same rule runs against the database, a cache, or a test table.
 */
import { inForceAt, type Effective } from "./intervals";

/** One effective-dated edge: `nodeId` hangs under `parentId` during [validFrom, validTo). */
export interface TreeEdge extends Effective {
  readonly nodeId: string;
  readonly parentId: string;
}

/** A placement edge also says which slot of the parent the node takes: 0 = left, 1 = right in a binary tree. */
export interface PlacementEdge extends TreeEdge {
  readonly position: number;
}

export interface PlacedChild {
  readonly nodeId: string;
  readonly position: number;
}

/** The placement tree as of one instant, read-only. */
export interface PlacementTreeView {
  /** Children of `parentId`, in any order; the rules order them by position. */
  childrenOf(parentId: string): readonly PlacedChild[];
  /**
   * Members in the subtree rooted at `nodeId`, the node itself included. Optional: when absent the rules count
   * by walking `childrenOf`, which is fine in memory; a database view can answer from a maintained counter.
   */
  countMembers?(nodeId: string): number;
  /**
   * Whether `nodeId` was in the tree at the view's instant and so can take a child then. A back-dated placement
   * sees later members as occupants of their slots (a slot filled later is not free from the earlier instant
   * on) but may not hang anyone under them. Optional: absent means every node can.
   */
  acceptsChildren?(nodeId: string): boolean;
}

export function acceptsChildren(view: PlacementTreeView, nodeId: string): boolean {
  return view.acceptsChildren ? view.acceptsChildren(nodeId) : true;
}

/** Children ordered left to right (by position, then id so duplicated positions still give one order). */
export function orderedChildren(view: PlacementTreeView, parentId: string): PlacedChild[] {
  return [...view.childrenOf(parentId)].sort((a, b) => a.position - b.position || compareIds(a.nodeId, b.nodeId));
}

export function countMembers(view: PlacementTreeView, nodeId: string): number {
  if (view.countMembers) return view.countMembers(nodeId);
  let count = 0;
  const stack = [nodeId];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    count += 1;
    for (const child of view.childrenOf(next)) stack.push(child.nodeId);
  }
  return count;
}

/** An in-memory view of the placement edges in force at `at`: what the service builds from loaded rows. */
export function placementViewAt(edges: readonly PlacementEdge[], at: Date): PlacementTreeView {
  const edgesByNode = new Map<string, PlacementEdge[]>();
  for (const edge of edges) {
    const list = edgesByNode.get(edge.nodeId);
    if (list) list.push(edge);
    else edgesByNode.set(edge.nodeId, [edge]);
  }
  const children = new Map<string, PlacedChild[]>();
  for (const nodeEdges of edgesByNode.values()) {
    const edge = inForceAt(nodeEdges, at);
    if (!edge) continue;
    const list = children.get(edge.parentId);
    const child = { nodeId: edge.nodeId, position: edge.position };
    if (list) list.push(child);
    else children.set(edge.parentId, [child]);
  }
  return { childrenOf: (parentId) => children.get(parentId) ?? [] };
}

export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
