/**
 * A mutable placement tree in memory: recruits placed one after another, each seeing the ones before. Used to
 * seed demo shops and by the tests; the service reads the database instead.
 */
import { GenealogyError } from "./errors";
import type { PlacedChild, PlacementTreeView } from "./tree";

export class MemoryPlacementTree implements PlacementTreeView {
  private readonly children = new Map<string, PlacedChild[]>();
  private readonly parents = new Map<string, string>();

  constructor(readonly rootId: string) {}

  /** Builds a tree from lists of children, position = index in the list: `{ A: ["B", "C"], B: ["D"] }`. */
  static fromChildLists(rootId: string, lists: Readonly<Record<string, readonly string[]>>): MemoryPlacementTree {
    const tree = new MemoryPlacementTree(rootId);
    const pending = [rootId];
    for (let parentId = pending.shift(); parentId !== undefined; parentId = pending.shift()) {
      (lists[parentId] ?? []).forEach((childId, position) => {
        tree.attach(childId, parentId, position);
        pending.push(childId);
      });
    }
    return tree;
  }

  childrenOf(parentId: string): readonly PlacedChild[] {
    return this.children.get(parentId) ?? [];
  }

  parentOf(nodeId: string): string | null {
    return this.parents.get(nodeId) ?? null;
  }

  has(nodeId: string): boolean {
    return nodeId === this.rootId || this.parents.has(nodeId);
  }

  attach(nodeId: string, parentId: string, position: number): void {
    if (this.has(nodeId)) throw new GenealogyError("invalid_move", `${nodeId} is already placed`);
    if (!this.has(parentId)) throw new GenealogyError("not_placed", `${parentId} is not placed`);
    const siblings = this.children.get(parentId) ?? [];
    if (siblings.some((child) => child.position === position)) {
      throw new GenealogyError("invalid_move", `slot ${position} under ${parentId} is taken`);
    }
    this.children.set(parentId, [...siblings, { nodeId, position }]);
    this.parents.set(nodeId, parentId);
  }

  /** Nodes below `ancestorId` (excluded), with their level below it. */
  descendantsOf(ancestorId: string): Map<string, number> {
    const levels = new Map<string, number>();
    const stack: [string, number][] = [[ancestorId, 0]];
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      const [nodeId, level] = next;
      for (const child of this.childrenOf(nodeId)) {
        levels.set(child.nodeId, level + 1);
        stack.push([child.nodeId, level + 1]);
      }
    }
    return levels;
  }
}
