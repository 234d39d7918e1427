/**
 * Issue 15 (defect 2): one bad genealogy row never blocks a period close. A link the close cannot trust is cut
 * for that close and reported as a flag; everything else closes exactly as it would have.
 */
import { describe, expect, it } from "vitest";
import { closePeriod } from "./close";
import { BINARY, closeInput, periodPlan, pv, tree } from "~test/support/periods";
import { indexTrees } from "./trees";

const plan = periodPlan([BINARY]);

describe("a close with genealogy it cannot trust", () => {
  it("cuts a placement parent who is not in the tree, reports it, and still pays the sound part", () => {
    const distributors = tree({
      ROOT: {},
      L: { sponsor: "ROOT", parent: "ROOT", side: "left" },
      R: { sponsor: "ROOT", parent: "ROOT", side: "right" },
      // Placed under someone who only joined after the period (a back-dated enrollment of old code).
      LATE_CHILD: { sponsor: "ROOT", parent: "NOT_YET_JOINED", side: "left" },
    });
    const result = closePeriod(closeInput({ planVersion: plan, distributors, volumes: pv({ L: 300, R: 100, LATE_CHILD: 500 }) }));

    expect(result.flags).toContainEqual(
      expect.objectContaining({ type: "genealogy_link_cut", distributorId: "LATE_CHILD", tree: "placement", problem: "parent_not_in_tree" }),
    );
    // ROOT pairs its own legs (300 / 100 → one pair of 100): the cut node's 500 reaches nobody's leg.
    expect(result.lines.filter((line) => line.distributorId === "ROOT").reduce((sum, line) => sum + line.amountMinor, 0n)).toBe(1000n);
  });

  it("cuts the second holder of a binary slot and one member of each loop, deterministically", () => {
    const distributors = tree({
      ROOT: {},
      A: { sponsor: "ROOT", parent: "ROOT", side: "left" },
      B: { sponsor: "ROOT", parent: "ROOT", side: "left" },
      // X and Y sponsor and place each other; Z hangs below the loop.
      X: { sponsor: "Y", parent: "Y", side: "left" },
      Y: { sponsor: "X", parent: "X", side: "left" },
      Z: { sponsor: "Y", parent: "Y", side: "right" },
    });
    const trees = indexTrees(distributors);
    expect(trees.issues).toEqual([
      expect.objectContaining({ distributorId: "B", tree: "placement", problem: "slot_taken" }),
      expect.objectContaining({ distributorId: "X", tree: "sponsor", problem: "loop" }),
      expect.objectContaining({ distributorId: "X", tree: "placement", problem: "loop" }),
    ]);
    // Z (below the loop) is not cut: once X is a root, Z is reached through Y.
    expect(trees.byId.get("Z")).toMatchObject({ sponsorId: "Y", placement: { parentId: "Y" } });
    expect(new Set(trees.sponsorPostOrder)).toEqual(new Set(["ROOT", "A", "B", "X", "Y", "Z"]));
    expect(trees.placementPostOrder.indexOf("Z")).toBeLessThan(trees.placementPostOrder.indexOf("Y"));
    expect(trees.placementPostOrder.indexOf("Y")).toBeLessThan(trees.placementPostOrder.indexOf("X"));
    // Same issues whatever order the rows came in.
    expect(indexTrees([...distributors].reverse()).issues).toEqual(trees.issues);
  });

  it("reports nothing for a sound tree", () => {
    const trees = indexTrees(tree({ ROOT: {}, A: { sponsor: "ROOT", parent: "ROOT", side: "left" } }));
    expect(trees.issues).toEqual([]);
  });
});
