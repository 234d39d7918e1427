import { describe, expect, it } from "vitest";
import { placeInMatrix } from "./matrix-placement";
import { countMembers, orderedChildren, placementViewAt, type PlacementEdge } from "./tree";

const t = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe("placement view as of an instant", () => {
  // C sat under A in slot 0 until 2026-03-01, when an admin moved it under B; D keeps A's slot 1.
  const edges: PlacementEdge[] = [
    { nodeId: "A", parentId: "R", position: 0, validFrom: t("2026-01-01"), validTo: null },
    { nodeId: "B", parentId: "R", position: 1, validFrom: t("2026-01-02"), validTo: null },
    { nodeId: "C", parentId: "A", position: 0, validFrom: t("2026-01-03"), validTo: t("2026-03-01") },
    { nodeId: "D", parentId: "A", position: 1, validFrom: t("2026-01-04"), validTo: null },
    { nodeId: "C", parentId: "B", position: 0, validFrom: t("2026-03-01"), validTo: null },
  ];

  it("shows the children in force at that instant, ordered by slot", () => {
    const before = placementViewAt(edges, t("2026-02-01"));
    expect(orderedChildren(before, "R")).toEqual([
      { nodeId: "A", position: 0 },
      { nodeId: "B", position: 1 },
    ]);
    expect(orderedChildren(before, "A")).toEqual([
      { nodeId: "C", position: 0 },
      { nodeId: "D", position: 1 },
    ]);
    const after = placementViewAt(edges, t("2026-03-01"));
    expect(after.childrenOf("A")).toEqual([{ nodeId: "D", position: 1 }]);
    expect(after.childrenOf("B")).toEqual([{ nodeId: "C", position: 0 }]);
    expect(placementViewAt(edges, t("2025-12-31")).childrenOf("R")).toEqual([]);
  });

  it("counts members by walking, and feeds the placement rules the tree of that instant", () => {
    expect(countMembers(placementViewAt(edges, t("2026-02-01")), "A")).toBe(3);
    expect(countMembers(placementViewAt(edges, t("2026-04-01")), "A")).toBe(2);
    // The hole C left in A's slot 0 is the first open slot of A's width-2 matrix after the move.
    expect(placeInMatrix(placementViewAt(edges, t("2026-04-01")), "A", { width: 2, depth: 2 })).toMatchObject({
      parentId: "A",
      position: 0,
    });
  });
});
