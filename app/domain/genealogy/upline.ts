/**
 * Walking a tree of effective-dated edges as of one instant, in memory. The database answers the same question
 * with one recursive query; this is the reference the tests (and small in-memory snapshots) use.
 */
import { CorruptTreeError } from "./errors";
import { inForceAt } from "./intervals";
import type { TreeEdge } from "./tree";

/** All edges (any time) of one node. */
export type EdgesOf = (nodeId: string) => readonly TreeEdge[];

/** The parent in force at `at`, or null (a root, or not in the tree at that instant). */
export function parentAt(edges: readonly TreeEdge[], at: Date): string | null {
  return inForceAt(edges, at)?.parentId ?? null;
}

/**
 * Ancestors of `nodeId` as of `at`, nearest first (the sponsor is index 0), at most `maxLevels` of them.
 * Throws CorruptTreeError if the stored edges loop.
 */
export function uplineAt(nodeId: string, at: Date, edgesOf: EdgesOf, maxLevels = Number.POSITIVE_INFINITY): string[] {
  const upline: string[] = [];
  const seen = new Set([nodeId]);
  for (let parent = parentAt(edgesOf(nodeId), at); parent !== null && upline.length < maxLevels;) {
    if (seen.has(parent)) throw new CorruptTreeError(nodeId, `${parent} appears twice in its upline`);
    seen.add(parent);
    upline.push(parent);
    parent = parentAt(edgesOf(parent), at);
  }
  return upline;
}
