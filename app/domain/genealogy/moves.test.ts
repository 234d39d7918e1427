import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CycleError, InvalidMoveError } from "./errors";
import { planPlacementMove, planSponsorMove, type MoveRequest } from "./moves";
import type { PlacementEdge, TreeEdge } from "./tree";
import { parentAt, uplineAt } from "./upline";

const t = (iso: string) => new Date(`${iso}T00:00:00Z`);
const edge = (nodeId: string, parentId: string, from: string, to: string | null = null): TreeEdge => ({
  nodeId,
  parentId,
  validFrom: t(from),
  validTo: to === null ? null : t(to),
});

/** A small sponsor tree: R ← A ← B ← C, and R ← D. */
function sampleEdges(): TreeEdge[] {
  return [edge("A", "R", "2025-01-01"), edge("B", "A", "2025-02-01"), edge("C", "B", "2025-03-01"), edge("D", "R", "2025-01-15")];
}

function contextFor(edges: readonly TreeEdge[], nodeId: string) {
  const edgesOf = (id: string) => edges.filter((e) => e.nodeId === id);
  return {
    nodeEdges: edgesOf(nodeId),
    parentAt: (id: string, at: Date) => parentAt(edgesOf(id), at),
    laterChangeTimes: edges.map((e) => e.validFrom),
  };
}

const request = (overrides: Partial<MoveRequest> = {}): MoveRequest => ({
  nodeId: "B",
  newParentId: "D",
  effectiveFrom: t("2026-01-01"),
  reason: "  enrolled under the wrong sponsor ",
  actor: "admin@shop",
  ...overrides,
});

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a refusal");
}

describe("sponsor moves", () => {
  it("closes the edge in force at the move instant and opens the new one there, with an audit record", () => {
    const edges = sampleEdges();
    const plan = planSponsorMove(request(), contextFor(edges, "B"));
    expect(plan.close).toEqual(edge("B", "A", "2025-02-01", "2026-01-01"));
    expect(plan.open).toEqual(edge("B", "D", "2026-01-01"));
    expect(plan.audit).toEqual({
      nodeId: "B",
      fromParentId: "A",
      toParentId: "D",
      effectiveFrom: t("2026-01-01"),
      reason: "enrolled under the wrong sponsor",
      actor: "admin@shop",
    });
  });

  it("refuses moves without a reason or actor, into a locked period, or with nothing to change", () => {
    const context = contextFor(sampleEdges(), "B");
    expect(refusal(() => planSponsorMove(request({ reason: "  " }), context))).toMatchObject({ reason: "reason_required" });
    expect(refusal(() => planSponsorMove(request({ actor: "" }), context))).toMatchObject({ reason: "reason_required" });
    expect(refusal(() => planSponsorMove(request(), { ...context, lockedBefore: t("2026-02-01") }))).toMatchObject({ reason: "locked_period" });
    expect(refusal(() => planSponsorMove(request({ newParentId: "A" }), context))).toMatchObject({ reason: "no_change" });
  });

  it("refuses a move before the node joined, at its edge's start, or when a later change is scheduled", () => {
    const edges = [...sampleEdges().filter((e) => e.nodeId !== "B"), edge("B", "A", "2025-02-01", "2026-06-01"), edge("B", "R", "2026-06-01")];
    const context = contextFor(edges, "B");
    expect(refusal(() => planSponsorMove(request({ effectiveFrom: t("2024-01-01") }), context))).toMatchObject({
      reason: "not_in_tree",
    });
    expect(refusal(() => planSponsorMove(request({ effectiveFrom: t("2026-01-01") }), context))).toMatchObject({
      reason: "later_change_exists",
    });
    expect(refusal(() => planSponsorMove(request({ effectiveFrom: t("2026-06-01") }), context))).toMatchObject({ reason: "not_after_current_edge" });
    expect(refusal(() => planSponsorMove(request({ effectiveFrom: t("2026-06-01") }), context))).toBeInstanceOf(InvalidMoveError);
  });

  it("refuses a new sponsor from the node's own downline, or the node itself", () => {
    const context = contextFor(sampleEdges(), "A");
    expect(refusal(() => planSponsorMove(request({ nodeId: "A", newParentId: "C" }), context))).toEqual(new CycleError("A", "C", ["C", "B", "A"]));
    expect(refusal(() => planSponsorMove(request({ nodeId: "A", newParentId: "A" }), context))).toBeInstanceOf(CycleError);
  });

  it("refuses a move that a scheduled move elsewhere would turn into a cycle later", () => {
    // D is scheduled to move under C (in B's downline) on 2026-03-01; moving B under D from 2026-01-01 would
    // make B its own ancestor from March on, although the tree is fine in January.
    const edges = [...sampleEdges().filter((e) => e.nodeId !== "D"), edge("D", "R", "2025-01-15", "2026-03-01"), edge("D", "C", "2026-03-01")];
    expect(refusal(() => planSponsorMove(request(), contextFor(edges, "B")))).toBeInstanceOf(CycleError);
    expect(() => planSponsorMove(request(), { ...contextFor(edges, "B"), laterChangeTimes: [] })).not.toThrow();
  });

  it("never changes the upline of anyone before the move instant (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { minLength: 2, maxLength: 25 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 400 }),
        (parentPicks, nodePick, parentPick, moveDay) => {
          // Node i + 1 joins on day i + 1 under a random earlier node.
          const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000);
          const edges: TreeEdge[] = parentPicks.map((pick, i) => ({
            nodeId: `n${i + 1}`,
            parentId: `n${pick % (i + 1)}`,
            validFrom: day(i + 1),
            validTo: null,
          }));
          const ids = ["n0", ...edges.map((e) => e.nodeId)];
          const nodeId = ids[1 + (nodePick % (ids.length - 1))]!;
          const newParentId = ids[parentPick % ids.length]!;
          const effectiveFrom = new Date(day(moveDay).getTime() + 3_600_000);
          const context = contextFor(edges, nodeId);
          let plan;
          try {
            plan = planSponsorMove({ nodeId, newParentId, effectiveFrom, reason: "fix", actor: "admin" }, context);
          } catch (error) {
            expect(error instanceof CycleError || error instanceof InvalidMoveError).toBe(true);
            return;
          }
          const after = [...edges.filter((e) => e !== context.nodeEdges[0]), plan.close, plan.open];
          const edgesOf = (list: readonly TreeEdge[]) => (id: string) => list.filter((e) => e.nodeId === id);
          for (let n = 0; n <= moveDay + 1; n += 1) {
            const at = day(n);
            for (const id of ids) {
              if (at < effectiveFrom) expect(uplineAt(id, at, edgesOf(after))).toEqual(uplineAt(id, at, edgesOf(edges)));
              else expect(uplineAt(id, at, edgesOf(after))).not.toContain(id);
            }
          }
          expect(parentAt(edgesOf(after)(nodeId), effectiveFrom)).toBe(newParentId);
        },
      ),
    );
  });
});

describe("placement moves", () => {
  const placed = (nodeId: string, parentId: string, position: number, from: string, to: string | null = null): PlacementEdge => ({
    ...edge(nodeId, parentId, from, to),
    position,
  });
  const edges = [placed("A", "R", 0, "2025-01-01"), placed("B", "R", 1, "2025-01-02"), placed("C", "A", 0, "2025-01-03")];
  const contextFor = (nodeId: string, newParentId: string) => ({
    nodeEdges: edges.filter((e) => e.nodeId === nodeId),
    parentAt: (id: string) => edges.find((e) => e.nodeId === id)?.parentId ?? null,
    width: 2,
    newParentChildEdges: edges.filter((e) => e.parentId === newParentId),
  });

  it("moves into a free slot, keeping the subtree attached to the node", () => {
    const plan = planPlacementMove({ ...request({ nodeId: "C", newParentId: "B" }), position: 0 }, contextFor("C", "B"));
    expect(plan.close).toEqual(placed("C", "A", 0, "2025-01-03", "2026-01-01"));
    expect(plan.open).toEqual(placed("C", "B", 0, "2026-01-01"));
  });

  it("refuses a taken slot, a slot outside the width, and the same slot", () => {
    expect(refusal(() => planPlacementMove({ ...request({ nodeId: "C", newParentId: "R" }), position: 1 }, contextFor("C", "R")))).toMatchObject({
      reason: "position_taken",
    });
    expect(refusal(() => planPlacementMove({ ...request({ nodeId: "C", newParentId: "B" }), position: 2 }, contextFor("C", "B")))).toMatchObject({
      reason: "position_out_of_range",
    });
    expect(refusal(() => planPlacementMove({ ...request({ nodeId: "C", newParentId: "A" }), position: 0 }, contextFor("C", "A")))).toMatchObject({
      reason: "no_change",
    });
  });

  it("takes a slot whose earlier holder left before the move, and moves within the same parent", () => {
    const vacated = { ...contextFor("C", "B"), newParentChildEdges: [placed("X", "B", 0, "2025-01-01", "2025-06-01")] };
    expect(() => planPlacementMove({ ...request({ nodeId: "C", newParentId: "B" }), position: 0 }, vacated)).not.toThrow();
    const sideways = planPlacementMove({ ...request({ nodeId: "C", newParentId: "A" }), position: 1 }, contextFor("C", "A"));
    expect(sideways.open).toMatchObject({ parentId: "A", position: 1 });
  });

  it("refuses a cycle in the placement tree", () => {
    expect(refusal(() => planPlacementMove({ ...request({ nodeId: "A", newParentId: "C" }), position: 1 }, contextFor("A", "C")))).toBeInstanceOf(CycleError);
  });
});
