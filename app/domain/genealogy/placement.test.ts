import { describe, expect, it } from "vitest";
import { MatrixFullError } from "./errors";
import { MemoryPlacementTree } from "./memory-tree";
import { placeRecruit } from "./placement";

describe("placeRecruit", () => {
  const published = () => MemoryPlacementTree.fromChildLists("A", { A: ["B", "C", "D"], B: ["E", "F", "G"], C: ["H", "I", "J"] });

  it("places by the plan's forced matrix and keeps the enroller as sponsor (K under D, sponsored by A)", () => {
    expect(placeRecruit(published(), "A", { kind: "matrix", width: 3, depth: 7 })).toEqual({
      sponsorId: "A",
      parentId: "D",
      position: 0,
      levelBelowSponsor: 2,
    });
  });

  it("places by the plan's binary spillover rule", () => {
    const tree = MemoryPlacementTree.fromChildLists("S", { S: ["a"] });
    expect(placeRecruit(tree, "S", { kind: "binary", spillover: { kind: "weaker-leg", tieBreak: "left" } })).toEqual({
      sponsorId: "S",
      parentId: "S",
      position: 1,
      levelBelowSponsor: 1,
    });
  });

  it("refuses a full matrix rather than guessing where the recruit should go", () => {
    expect(() => placeRecruit(published(), "C", { kind: "matrix", width: 3, depth: 1 })).toThrow(MatrixFullError);
  });
});
