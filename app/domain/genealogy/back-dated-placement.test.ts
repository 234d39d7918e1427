/**
 * A back-dated placement sees members who joined after its instant as holders of their slots that cannot take
 * children yet (PlacementTreeView.acceptsChildren): it never lands under them, nor in a slot they hold.
 */
import { describe, expect, it } from "vitest";
import { placeInBinary } from "./binary-placement";
import { NoOpenSlotError } from "./errors";
import { placeInMatrix } from "./matrix-placement";
import type { PlacedChild, PlacementTreeView } from "./tree";

/** `children` per parent; ids in `later` joined after the placement instant. */
function viewAt(children: Record<string, string[]>, later: readonly string[]): PlacementTreeView {
  return {
    childrenOf: (parentId): PlacedChild[] =>
      (children[parentId] ?? []).map((nodeId, position) => ({ nodeId, position })).filter((child) => child.nodeId !== ""),
    acceptsChildren: (nodeId) => !later.includes(nodeId),
  };
}

describe("back-dated binary placement", () => {
  it("extreme outside: a line cut by a later member falls back to the first place open then and since", () => {
    // S ─left→ a ─left→ LATE; S's right slot is free.
    const view = viewAt({ S: ["a"], a: ["LATE"] }, ["LATE"]);
    expect(placeInBinary(view, "S", { kind: "extreme-outside", leg: "left" })).toMatchObject({ parentId: "S", position: 1, levelBelowSponsor: 1 });
  });

  it("breadth-first walks below members of the time only", () => {
    const view = viewAt({ S: ["LATE", "b"], b: ["c", "d"] }, ["LATE"]);
    expect(placeInBinary(view, "S", { kind: "breadth-first" })).toMatchObject({ parentId: "c", position: 0, levelBelowSponsor: 3 });
  });

  it("refuses when every place of the time has been filled since", () => {
    const view = viewAt({ S: ["L1", "L2"] }, ["L1", "L2"]);
    expect(() => placeInBinary(view, "S", { kind: "breadth-first" })).toThrow(NoOpenSlotError);
    expect(() => placeInBinary(view, "S", { kind: "extreme-outside", leg: "right" })).toThrow(NoOpenSlotError);
  });

  it("a forced matrix skips later members' subtrees the same way", () => {
    const view = viewAt({ S: ["LATE", "b", "c"] }, ["LATE"]);
    expect(placeInMatrix(view, "S", { width: 3, depth: 2 })).toMatchObject({ parentId: "b", position: 0, levelBelowSponsor: 2 });
  });
});
