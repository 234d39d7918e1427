/**
 * Cycle refusal for moves in either tree. Moving X under P is a cycle exactly when P is X itself or P is in
 * X's downline, i.e. when X is on P's upline. We walk up from P rather than down from X: an upline is as long
 * as the tree is deep, while a downline can be the whole shop.
 */
import { CorruptTreeError, CycleError } from "./errors";

/** The parent of a node in the tree being changed, as of the instant checked; null at a root. */
export type ParentLookup = (nodeId: string) => string | null;

/**
 * The chain from `newParentId` up to `nodeId` when attaching `nodeId` under `newParentId` would close a loop,
 * else null. Throws CorruptTreeError if the existing tree already loops above `newParentId`.
 */
export function findCycle(nodeId: string, newParentId: string, parentOf: ParentLookup): string[] | null {
  const path: string[] = [];
  const seen = new Set<string>();
  for (let current: string | null = newParentId; current !== null; current = parentOf(current)) {
    if (seen.has(current)) throw new CorruptTreeError(newParentId, `${current} is its own ancestor`);
    seen.add(current);
    path.push(current);
    if (current === nodeId) return path;
  }
  return null;
}

/** Throws CycleError (with the offending chain) if `nodeId` may not hang under `newParentId`. */
export function assertNoCycle(nodeId: string, newParentId: string, parentOf: ParentLookup): void {
  const path = findCycle(nodeId, newParentId, parentOf);
  if (path) throw new CycleError(nodeId, newParentId, path);
}
