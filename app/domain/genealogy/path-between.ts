/**
 * The path between two distributors in one tree: up from `a` to their nearest common ancestor, then down to
 * `b`. It is computed from the two uplines (each a chain from the node itself up to its root), which the
 * database returns with two bounded upline queries, so no downline is ever scanned.
 */

export interface TreePath {
  readonly commonAncestorId: string;
  /** From `a` up to the common ancestor, both included. */
  readonly up: readonly string[];
  /** From below the common ancestor down to `b`, `b` included; empty when `b` is the common ancestor. */
  readonly down: readonly string[];
  /** Edges walked: up.length − 1 + down.length. */
  readonly distance: number;
}

/** Null when the two chains share no node (different roots). Chains start with the node itself. */
export function pathBetween(chainFromA: readonly string[], chainFromB: readonly string[]): TreePath | null {
  const indexInB = new Map(chainFromB.map((id, index) => [id, index]));
  for (const [indexInA, id] of chainFromA.entries()) {
    const indexB = indexInB.get(id);
    if (indexB === undefined) continue;
    const up = chainFromA.slice(0, indexInA + 1);
    const down = chainFromB.slice(0, indexB).reverse();
    return { commonAncestorId: id, up, down, distance: up.length - 1 + down.length };
  }
  return null;
}
