import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertNoCycle, findCycle } from "./cycles";
import { CorruptTreeError, CycleError } from "./errors";

const parents: Record<string, string | null> = { R: null, A: "R", B: "A", C: "B", D: "A", E: "R" };
const parentOf = (id: string) => parents[id] ?? null;

describe("cycle refusal", () => {
  it("refuses a node as its own parent", () => {
    expect(() => assertNoCycle("A", "A", parentOf)).toThrow(new CycleError("A", "A", ["A"]));
    expect(() => assertNoCycle("A", "A", parentOf)).toThrow("A cannot be placed under itself");
  });

  it("refuses a parent from the node's downline and names the chain", () => {
    expect(findCycle("A", "C", parentOf)).toEqual(["C", "B", "A"]);
    expect(() => assertNoCycle("A", "C", parentOf)).toThrow("C is in the downline of A (C → B → A)");
    try {
      assertNoCycle("A", "C", parentOf);
    } catch (error) {
      expect(error).toMatchObject({ code: "cycle", nodeId: "A", newParentId: "C", path: ["C", "B", "A"] });
    }
  });

  it("allows parents outside the downline: siblings, cousins, ancestors", () => {
    for (const newParent of ["E", "D", "R"]) expect(findCycle("B", newParent, parentOf)).toBeNull();
  });

  it("reports an existing loop above the new parent as corrupt data", () => {
    const looped: Record<string, string> = { X: "Y", Y: "Z", Z: "X" };
    expect(() => findCycle("A", "X", (id) => looped[id] ?? null)).toThrow(CorruptTreeError);
  });

  it("refuses every descendant and accepts everything else (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 60 }), fc.nat(), (parentPicks, nodePick) => {
        // Node i + 1 hangs under a random earlier node, so this is a random tree rooted at n0.
        const tree = new Map<string, string>(parentPicks.map((pick, i) => [`n${i + 1}`, `n${pick % (i + 1)}`]));
        const lookup = (id: string) => tree.get(id) ?? null;
        const ids = ["n0", ...tree.keys()];
        const nodeId = ids[nodePick % ids.length]!;
        const isDescendantOrSelf = (id: string) => {
          for (let current: string | null = id; current !== null; current = lookup(current)) {
            if (current === nodeId) return true;
          }
          return false;
        };
        for (const candidate of ids) {
          if (isDescendantOrSelf(candidate)) expect(() => assertNoCycle(nodeId, candidate, lookup)).toThrow(CycleError);
          else expect(() => assertNoCycle(nodeId, candidate, lookup)).not.toThrow();
        }
      }),
    );
  });
});
