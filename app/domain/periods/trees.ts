/**
 * The sponsor and binary placement trees of one period close, indexed once: children per node, and an order
 * in which every node comes after all of its descendants, so subtree sums are one pass without recursion
 * (trees with extreme-outside spillover are thousands of levels deep).
 */
import { compareIds } from "../genealogy/tree";
import type { BinarySide, PeriodDistributor } from "./types";

export interface PeriodTrees {
  /** Distributors sorted by id: every output is in this order, whatever order the rows were loaded in. */
  readonly ids: readonly string[];
  /** Each distributor as the close uses it: a detached link (see `issues`) is already cut here. */
  readonly byId: ReadonlyMap<string, PeriodDistributor>;
  readonly sponsorChildren: ReadonlyMap<string, readonly string[]>;
  readonly placementChild: ReadonlyMap<string, { left: string | null; right: string | null }>;
  /** Descendants before ancestors, per tree. */
  readonly sponsorPostOrder: readonly string[];
  readonly placementPostOrder: readonly string[];
  /** Links the close could not trust and cut, in id order: reported with the close, never a reason to refuse it. */
  readonly issues: readonly TreeIssue[];
}

/**
 * One link of the stored genealogy that a close cannot use: a sponsor or placement parent who is not in the
 * tree at the period's end, a binary slot held twice, or a loop. The distributor becomes a root of that tree
 * for this close (their own volume and earnings still count; only what would flow through the bad link does
 * not), so one bad row never blocks a period — and every later period, which waits for it — from closing.
 */
export interface TreeIssue {
  readonly distributorId: string;
  readonly tree: "sponsor" | "placement";
  readonly problem: "parent_not_in_tree" | "slot_taken" | "loop" | "duplicate";
  readonly detail: string;
}

export function indexTrees(distributors: readonly PeriodDistributor[]): PeriodTrees {
  const issues: TreeIssue[] = [];
  const byId = new Map<string, PeriodDistributor>();
  for (const distributor of distributors) {
    if (byId.has(distributor.distributorId)) {
      issues.push({ distributorId: distributor.distributorId, tree: "sponsor", problem: "duplicate", detail: "appears twice; the first row is used" });
    } else byId.set(distributor.distributorId, distributor);
  }
  const ids = [...byId.keys()].sort(compareIds);
  const detach = (id: string, tree: TreeIssue["tree"], problem: TreeIssue["problem"], detail: string) => {
    issues.push({ distributorId: id, tree, problem, detail });
    const node = byId.get(id)!;
    byId.set(id, tree === "sponsor" ? { ...node, sponsorId: null } : { ...node, placement: null });
  };
  const sponsorChildren = new Map<string, string[]>();
  const placementChild = new Map<string, { left: string | null; right: string | null }>();
  for (const id of ids) {
    const distributor = byId.get(id)!;
    if (distributor.sponsorId !== null) {
      if (byId.has(distributor.sponsorId)) pushTo(sponsorChildren, distributor.sponsorId, id);
      else detach(id, "sponsor", "parent_not_in_tree", `sponsor ${distributor.sponsorId} is not in the tree at the period's end`);
    }
    const placement = distributor.placement;
    if (placement === null) continue;
    if (!byId.has(placement.parentId)) {
      detach(id, "placement", "parent_not_in_tree", `placement parent ${placement.parentId} is not in the tree at the period's end`);
      continue;
    }
    const slots = placementChild.get(placement.parentId) ?? { left: null, right: null };
    const holder = slots[placement.side];
    if (holder !== null) {
      detach(id, "placement", "slot_taken", `the ${placement.side} slot of ${placement.parentId} is held by ${holder}`);
      continue;
    }
    slots[placement.side] = id;
    placementChild.set(placement.parentId, slots);
  }
  const unlinkSponsor = (id: string) => {
    const parent = byId.get(id)!.sponsorId!;
    sponsorChildren.set(
      parent,
      (sponsorChildren.get(parent) ?? []).filter((child) => child !== id),
    );
    detach(id, "sponsor", "loop", `its sponsor line loops back to it`);
  };
  const unlinkPlacement = (id: string) => {
    const { parentId, side } = byId.get(id)!.placement!;
    placementChild.get(parentId)![side] = null;
    detach(id, "placement", "loop", `its placement line loops back to it`);
  };
  const placementChildren = (id: string) => {
    const slots = placementChild.get(id);
    return slots ? [slots.left, slots.right].filter((child): child is string => child !== null) : [];
  };
  return {
    ids,
    byId,
    sponsorChildren,
    placementChild,
    sponsorPostOrder: postOrder(
      ids,
      (id) => byId.get(id)!.sponsorId,
      (id) => sponsorChildren.get(id) ?? [],
      unlinkSponsor,
    ),
    placementPostOrder: postOrder(ids, (id) => byId.get(id)!.placement?.parentId ?? null, placementChildren, unlinkPlacement),
    issues,
  };
}

function pushTo(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Reverse breadth-first order: children always before parents. Nodes a walk from the roots does not reach sit
 * on a loop or hang below one: for each loop, its smallest id is cut from its parent and becomes a root, so
 * the order is deterministic and only loop members are ever cut.
 */
function postOrder(
  ids: readonly string[],
  parentOf: (id: string) => string | null,
  childrenOf: (id: string) => readonly string[],
  cutFromParent: (id: string) => void,
): string[] {
  const order: string[] = [];
  const reached = new Set<string>();
  const walkFrom = (roots: readonly string[]) => {
    let index = order.length;
    for (const root of roots) {
      order.push(root);
      reached.add(root);
    }
    for (; index < order.length; index++) {
      for (const child of childrenOf(order[index]!)) {
        if (reached.has(child)) continue;
        reached.add(child);
        order.push(child);
      }
    }
  };
  walkFrom(ids.filter((id) => parentOf(id) === null));
  for (const id of ids) {
    if (reached.has(id)) continue;
    const onLoop = loopAbove(id, parentOf);
    cutFromParent(onLoop);
    walkFrom([onLoop]);
  }
  return order.reverse();
}

/** The smallest id of the loop that `id` is on or hangs below (every unreached node has one above it). */
function loopAbove(id: string, parentOf: (id: string) => string | null): string {
  const seen = new Set<string>();
  let node = id;
  while (!seen.has(node)) {
    seen.add(node);
    node = parentOf(node)!;
  }
  let smallest = node;
  for (let member = parentOf(node)!; member !== node; member = parentOf(member)!) if (compareIds(member, smallest) < 0) smallest = member;
  return smallest;
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
