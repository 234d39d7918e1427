import { describe, expect, it } from "vitest";
import { pathBetween } from "./path-between";

describe("path between two distributors", () => {
  it("goes up to the nearest common ancestor and down again", () => {
    expect(pathBetween(["C", "B", "A", "R"], ["E", "D", "A", "R"])).toEqual({
      commonAncestorId: "A",
      up: ["C", "B", "A"],
      down: ["D", "E"],
      distance: 4,
    });
  });

  it("handles one being the other's ancestor, and the same node", () => {
    expect(pathBetween(["C", "B", "A"], ["A"])).toMatchObject({ commonAncestorId: "A", up: ["C", "B", "A"], down: [], distance: 2 });
    expect(pathBetween(["A"], ["C", "B", "A"])).toMatchObject({ up: ["A"], down: ["B", "C"], distance: 2 });
    expect(pathBetween(["A", "R"], ["A", "R"])).toMatchObject({ up: ["A"], down: [], distance: 0 });
  });

  it("is null for distributors in different trees", () => {
    expect(pathBetween(["B", "A"], ["D", "C"])).toBeNull();
  });
});
