import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { placeInBinary, weakerLeg, type BinarySide, type BinarySpilloverRule } from "./binary-placement";
import { MemoryPlacementTree } from "./memory-tree";

/** Places recruits of `sponsorId` one by one; returns "parent/side" for each. */
function recruit(tree: MemoryPlacementTree, sponsorId: string, rule: BinarySpilloverRule, ids: readonly string[]) {
  return ids.map((id) => {
    const placement = placeInBinary(tree, sponsorId, rule);
    tree.attach(id, placement.parentId, placement.position);
    return `${placement.parentId}/${placement.side}`;
  });
}

describe("binary spillover", () => {
  it("extreme outside: each recruit goes to the bottom of the chosen leg's outside edge", () => {
    const tree = new MemoryPlacementTree("S");
    expect(recruit(tree, "S", { kind: "extreme-outside", leg: "left" }, ["a", "b", "c"])).toEqual(["S/left", "a/left", "b/left"]);
    expect(recruit(tree, "S", { kind: "extreme-outside", leg: "right" }, ["d", "e"])).toEqual(["S/right", "d/right"]);
  });

  it("extreme outside skips inner slots: a free inner slot higher up is not taken", () => {
    const tree = MemoryPlacementTree.fromChildLists("S", { S: ["a"], a: ["b"] });
    // a's right slot is free, but it is on the inside of the left leg.
    expect(placeInBinary(tree, "S", { kind: "extreme-outside", leg: "left" })).toMatchObject({
      parentId: "b",
      position: 0,
      levelBelowSponsor: 3,
      sponsorLeg: "left",
    });
  });

  it("weaker leg: alternates legs by member count, ties to the tie-break side, then extreme outside", () => {
    const tree = new MemoryPlacementTree("S");
    const rule = { kind: "weaker-leg", tieBreak: "left" } as const;
    expect(recruit(tree, "S", rule, ["r1", "r2", "r3", "r4", "r5", "r6"])).toEqual(["S/left", "S/right", "r1/left", "r2/right", "r3/left", "r4/right"]);
    expect(recruit(new MemoryPlacementTree("S"), "S", { kind: "weaker-leg", tieBreak: "right" }, ["x"])).toEqual(["S/right"]);
  });

  it("weaker leg counts whole legs, not frontline, and uses the view's own counter when it has one", () => {
    const tree = MemoryPlacementTree.fromChildLists("S", { S: ["L", "R"], L: ["L1", "L2"], R: ["R1"], R1: ["R2", "R3"] });
    expect(weakerLeg(tree, "S", "left")).toBe("left"); // left 3 members, right 4
    const counted = {
      childrenOf: (id: string) => tree.childrenOf(id),
      countMembers: (id: string) => (id === "L" ? 100 : 5),
    };
    expect(placeInBinary(counted, "S", { kind: "weaker-leg", tieBreak: "left" })).toMatchObject({
      parentId: "R",
      side: "right",
    });
  });

  it("breadth-first (matrix fill): level by level, left before right, and reports the sponsor's leg", () => {
    const tree = new MemoryPlacementTree("S");
    expect(recruit(tree, "S", { kind: "breadth-first" }, ["a", "b", "c", "d", "e", "f", "g"])).toEqual([
      "S/left",
      "S/right",
      "a/left",
      "a/right",
      "b/left",
      "b/right",
      "c/left",
    ]);
    expect(placeInBinary(tree, "S", { kind: "breadth-first" })).toMatchObject({ parentId: "c", sponsorLeg: "left" });
    expect(placeInBinary(tree, "b", { kind: "breadth-first" })).toMatchObject({ parentId: "e", sponsorLeg: "left" });
  });

  it("stays inside the sponsor's subtree even when slots are free higher up", () => {
    const tree = MemoryPlacementTree.fromChildLists("ROOT", { ROOT: ["S"], S: ["a", "b"] });
    for (const rule of [{ kind: "breadth-first" }, { kind: "weaker-leg", tieBreak: "right" }, { kind: "extreme-outside", leg: "right" }] as const) {
      expect(tree.descendantsOf("S").has(placeInBinary(tree, "S", rule).parentId)).toBe(true);
    }
  });

  const rules = fc.oneof(
    fc.constantFrom<BinarySide>("left", "right").map((leg): BinarySpilloverRule => ({ kind: "extreme-outside", leg })),
    fc.constantFrom<BinarySide>("left", "right").map((tieBreak): BinarySpilloverRule => ({ kind: "weaker-leg", tieBreak })),
    fc.constant<BinarySpilloverRule>({ kind: "breadth-first" }),
  );

  it("keeps a binary tree: at most a left and a right child, placed below the sponsor in the reported leg (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), rules), { minLength: 1, maxLength: 60 }), (steps) => {
        const tree = new MemoryPlacementTree("n0");
        const placed = ["n0"];
        for (const [pick, rule] of steps) {
          const sponsorId = placed[pick % placed.length]!;
          const legSizes = {
            left: tree.childrenOf(sponsorId).find((c) => c.position === 0),
            right: tree.childrenOf(sponsorId).find((c) => c.position === 1),
          };
          const before = {
            left: legSizes.left ? tree.descendantsOf(legSizes.left.nodeId).size + 1 : 0,
            right: legSizes.right ? tree.descendantsOf(legSizes.right.nodeId).size + 1 : 0,
          };
          const placement = placeInBinary(tree, sponsorId, rule);
          const id = `n${placed.length}`;
          tree.attach(id, placement.parentId, placement.position);
          placed.push(id);

          expect(tree.descendantsOf(sponsorId).get(id)).toBe(placement.levelBelowSponsor);
          const legRoot = tree.childrenOf(sponsorId).find((c) => c.position === (placement.sponsorLeg === "left" ? 0 : 1))!;
          expect(legRoot.nodeId === id || tree.descendantsOf(legRoot.nodeId).has(id)).toBe(true);
          if (rule.kind === "extreme-outside") {
            expect(placement.sponsorLeg).toBe(rule.leg);
            // Every step from the sponsor down to the recruit is on the chosen side.
            for (let node: string | null = id; node !== sponsorId; node = tree.parentOf(node!)) {
              const parent = tree.parentOf(node!)!;
              expect(tree.childrenOf(parent).find((c) => c.nodeId === node)!.position).toBe(rule.leg === "left" ? 0 : 1);
            }
          }
          if (rule.kind === "weaker-leg") {
            const other = placement.sponsorLeg === "left" ? "right" : "left";
            expect(before[placement.sponsorLeg]).toBeLessThanOrEqual(before[other]);
          }
        }
        for (const nodeId of placed) {
          const positions = tree.childrenOf(nodeId).map((c) => c.position);
          expect(positions.every((p) => p === 0 || p === 1)).toBe(true);
          expect(new Set(positions).size).toBe(positions.length);
        }
      }),
    );
  });
});
