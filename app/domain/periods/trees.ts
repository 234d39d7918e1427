/**
 * The sponsor and binary placement trees of one period close, indexed once: children per node, and an order
 * in which every node comes after all of its descendants, so subtree sums are one pass without recursion
 * (trees with extreme-outside spillover are thousands of levels deep).
 */
import { compareIds } from "../genealogy/tree";
import { PeriodInputError } from "./errors";
import type { BinarySide, PeriodDistributor } from "./types";

export interface PeriodTrees {
  /** Distributors sorted by id: every output is in this order, whatever order the rows were loaded in. */
  readonly ids: readonly string[];
  readonly byId: ReadonlyMap<string, PeriodDistributor>;
  readonly sponsorChildren: ReadonlyMap<string, readonly string[]>;
  readonly placementChild: ReadonlyMap<string, { left: string | null; right: string | null }>;
  /** Descendants before ancestors, per tree. */
  readonly sponsorPostOrder: readonly string[];
  readonly placementPostOrder: readonly string[];
}

export function indexTrees(distributors: readonly PeriodDistributor[]): PeriodTrees {
  const byId = new Map<string, PeriodDistributor>();
  distributors.forEach((distributor, index) => {
    if (byId.has(distributor.distributorId)) {
      throw new PeriodInputError(`distributors[${index}].distributorId`, `"${distributor.distributorId}" appears twice`);
    }
    byId.set(distributor.distributorId, distributor);
  });
  const ids = [...byId.keys()].sort(compareIds);
  const sponsorChildren = new Map<string, string[]>();
  const placementChild = new Map<string, { left: string | null; right: string | null }>();
  const sponsorRoots: string[] = [];
  const placementRoots: string[] = [];
  for (const id of ids) {
    const distributor = byId.get(id)!;
    if (distributor.sponsorId === null) sponsorRoots.push(id);
    else {
      if (!byId.has(distributor.sponsorId)) throw new PeriodInputError(`distributors[${id}].sponsorId`, `"${distributor.sponsorId}" is not a distributor of this close`);
      pushTo(sponsorChildren, distributor.sponsorId, id);
    }
    const placement = distributor.placement;
    if (placement === null) placementRoots.push(id);
    else {
      if (!byId.has(placement.parentId)) throw new PeriodInputError(`distributors[${id}].placement.parentId`, `"${placement.parentId}" is not a distributor of this close`);
      const slots = placementChild.get(placement.parentId) ?? { left: null, right: null };
      if (slots[placement.side] !== null) {
        throw new PeriodInputError(`distributors[${id}].placement`, `the ${placement.side} slot of ${placement.parentId} is taken by ${slots[placement.side]}`);
      }
      slots[placement.side] = id;
      placementChild.set(placement.parentId, slots);
    }
  }
  const placementChildren = (id: string) => {
    const slots = placementChild.get(id);
    return slots ? [slots.left, slots.right].filter((child): child is string => child !== null) : [];
  };
  return {
    ids,
    byId,
    sponsorChildren,
    placementChild,
    sponsorPostOrder: postOrder(sponsorRoots, (id) => sponsorChildren.get(id) ?? [], ids.length, "sponsorId"),
    placementPostOrder: postOrder(placementRoots, placementChildren, ids.length, "placement"),
  };
}

function pushTo(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Reverse breadth-first order: children always before parents. Nodes not reached from a root sit on a loop. */
function postOrder(roots: readonly string[], childrenOf: (id: string) => readonly string[], total: number, field: string): string[] {
  const order: string[] = [...roots];
  for (let index = 0; index < order.length; index++) for (const child of childrenOf(order[index]!)) order.push(child);
  if (order.length !== total) throw new PeriodInputError(`distributors[].${field}`, `${total - order.length} distributors sit on a loop`);
  return order.reverse();
}

/** Sum of `value` over each node's subtree (the node included), computed in one pass over `postOrderIds`. */
export function subtreeSums(
  postOrderIds: readonly string[],
  childrenOf: (id: string) => readonly string[],
  value: (id: string) => bigint,
): Map<string, bigint> {
  const sums = new Map<string, bigint>();
  for (const id of postOrderIds) {
    let sum = value(id);
    for (const child of childrenOf(id)) sum += sums.get(child)!;
    sums.set(id, sum);
  }
  return sums;
}

/** The placement ancestors of `id`, nearest first, with the side of the ancestor's leg that holds `id`. */
export function* placementAncestors(trees: PeriodTrees, id: string): Generator<{ ancestorId: string; side: BinarySide }> {
  for (let node = trees.byId.get(id); node?.placement; node = trees.byId.get(node.placement.parentId)) {
    yield { ancestorId: node.placement.parentId, side: node.placement.side };
  }
}
