import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MatrixFullError } from "./errors";
import { placeInMatrix, type MatrixShape } from "./matrix-placement";
import { MemoryPlacementTree } from "./memory-tree";

/** Places recruits of `sponsorId` one by one and returns the parent each one got. */
function recruit(tree: MemoryPlacementTree, sponsorId: string, shape: MatrixShape, ids: readonly string[]): string[] {
  return ids.map((id) => {
    const placement = placeInMatrix(tree, sponsorId, shape);
    tree.attach(id, placement.parentId, placement.position);
    return placement.parentId;
  });
}

describe("forced matrix placement", () => {
  it("reproduces the published width-3 example: A refers K, K lands under D", () => {
    const tree = MemoryPlacementTree.fromChildLists("A", {
      A: ["B", "C", "D"],
      B: ["E", "F", "G"],
      C: ["H", "I", "J"],
    });
    expect(placeInMatrix(tree, "A", { width: 3, depth: 3 })).toEqual({
      sponsorId: "A",
      parentId: "D",
      position: 0,
      levelBelowSponsor: 2,
    });
  });

  it("puts the fourth recruit of a width-3 sponsor in the first slot of the first child", () => {
    const tree = new MemoryPlacementTree("A");
    expect(recruit(tree, "A", { width: 3, depth: 5 }, ["B", "C", "D", "E"])).toEqual(["A", "A", "A", "B"]);
    expect(tree.childrenOf("B")).toEqual([{ nodeId: "E", position: 0 }]);
  });

  it("fills top to bottom, left to right, and refuses once the whole matrix is taken", () => {
    const tree = new MemoryPlacementTree("A");
    const shape = { width: 3, depth: 2 };
    const parents = recruit(tree, "A", shape, ["B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M"]);
    expect(parents).toEqual(["A", "A", "A", "B", "B", "B", "C", "C", "C", "D", "D", "D"]);
    const refusal = (() => {
      try {
        placeInMatrix(tree, "A", shape);
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(MatrixFullError);
    expect(refusal).toMatchObject({ code: "matrix_full", sponsorId: "A", width: 3, depth: 2 });
  });

  it("searches only the sponsor's own matrix, not the whole tree", () => {
    const tree = MemoryPlacementTree.fromChildLists("ROOT", { ROOT: ["S"], S: ["X", "Y"] });
    expect(placeInMatrix(tree, "S", { width: 2, depth: 3 })).toMatchObject({ parentId: "X", position: 0, levelBelowSponsor: 2 });
    expect(() => placeInMatrix(tree, "S", { width: 2, depth: 1 })).toThrow(MatrixFullError);
  });

  it("fills a hole left by a moved distributor before going deeper", () => {
    const tree = new MemoryPlacementTree("A");
    tree.attach("B", "A", 0);
    tree.attach("D", "A", 2);
    tree.attach("E", "B", 0);
    expect(placeInMatrix(tree, "A", { width: 3, depth: 3 })).toMatchObject({ parentId: "A", position: 1 });
  });

  it("walks through children beyond the width (from an older, wider plan) without counting them as capacity", () => {
    const tree = MemoryPlacementTree.fromChildLists("A", { A: ["B", "C", "D"] });
    expect(placeInMatrix(tree, "A", { width: 2, depth: 2 })).toMatchObject({ parentId: "B", position: 0 });
  });

  it("rejects shapes that are not positive integers", () => {
    const tree = new MemoryPlacementTree("A");
    expect(() => placeInMatrix(tree, "A", { width: 0, depth: 2 })).toThrow(RangeError);
    expect(() => placeInMatrix(tree, "A", { width: 2, depth: 1.5 })).toThrow(RangeError);
  });

  /**
   * Independent oracle: list every open slot of the sponsor's matrix with its path of positions from the
   * sponsor, and take the shallowest, then the lexicographically smallest path.
   */
  function firstOpenSlotByOracle(tree: MemoryPlacementTree, sponsorId: string, shape: MatrixShape) {
    let best: { parentId: string; position: number; path: number[] } | null = null;
    const visit = (nodeId: string, path: number[]) => {
      if (path.length >= shape.depth) return;
      const taken = new Map(tree.childrenOf(nodeId).map((child) => [child.position, child.nodeId]));
      for (let position = 0; position < shape.width; position += 1) {
        const childPath = [...path, position];
        const occupant = taken.get(position);
        if (occupant === undefined) {
          if (best === null || isBefore(childPath, best.path)) best = { parentId: nodeId, position, path: childPath };
        } else {
          visit(occupant, childPath);
        }
      }
    };
    visit(sponsorId, []);
    return best as { parentId: string; position: number; path: number[] } | null;
  }

  function isBefore(a: number[], b: number[]): boolean {
    if (a.length !== b.length) return a.length < b.length;
    const index = a.findIndex((value, i) => value !== b[i]);
    return index >= 0 && a[index]! < b[index]!;
  }

  it("always takes the breadth-first first open slot and never exceeds the width (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 80 }),
        (width, depth, sponsorPicks) => {
          const shape = { width, depth };
          const tree = new MemoryPlacementTree("n0");
          const placed = ["n0"];
          for (const pick of sponsorPicks) {
            const sponsorId = placed[pick % placed.length]!;
            const expected = firstOpenSlotByOracle(tree, sponsorId, shape);
            if (expected === null) {
              expect(() => placeInMatrix(tree, sponsorId, shape)).toThrow(MatrixFullError);
              continue;
            }
            const placement = placeInMatrix(tree, sponsorId, shape);
            expect({ parentId: placement.parentId, position: placement.position }).toEqual({
              parentId: expected.parentId,
              position: expected.position,
            });
            expect(placement.levelBelowSponsor).toBe(expected.path.length);
            const id = `n${placed.length}`;
            tree.attach(id, placement.parentId, placement.position);
            expect(tree.descendantsOf(sponsorId).get(id)).toBe(placement.levelBelowSponsor);
            placed.push(id);
          }
          for (const nodeId of placed) expect(tree.childrenOf(nodeId).length).toBeLessThanOrEqual(width);
        },
      ),
    );
  });
});
