/**
 * Binary placement: every node has two slots, position 0 (left leg) and position 1 (right leg). A recruit is
 * always placed inside their sponsor's placement subtree, and the sponsor edge keeps the enroller whatever the
 * placement ("the sponsor of Y is X but the parent is A").
 *
 * THE SPILLOVER RULES (a plan chooses one; an enrolment may carry the leg the enroller picked):
 *
 * - `extreme-outside`, with a leg: take the sponsor's slot on that side if it is free; otherwise step to the
 *   node in it and repeat, always on the same side. The recruit lands at the bottom of the sponsor's outside
 *   edge of that leg (the leftmost path for the left leg, the rightmost for the right leg).
 *
 * - `weaker-leg`: the leg under the sponsor with fewer members (whole subtree, an empty leg counting 0) is
 *   chosen, `tieBreak` deciding equal legs, and the recruit goes to the extreme outside of that leg as above.
 *   Members, not volume, decide: volume changes every order, and a placement must not depend on timing.
 *
 * - `breadth-first` ("matrix fill"): the first open slot under the sponsor, level by level, left before right,
 *   exactly the forced-matrix search with width 2 and no depth limit.
 *
 * A back-dated placement (the view's `acceptsChildren` says some members joined after its instant) may find
 * the outside line ending at a later member's slot: that line had no place then that is still free now, so
 * the recruit takes the first such place breadth-first under the sponsor instead; with none at all the
 * placement is refused (NoOpenSlotError), never put where it would overlap a later member.
 */
import { CorruptTreeError, NoOpenSlotError } from "./errors";
import { firstOpenSlotBreadthFirst } from "./breadth-first";
import { acceptsChildren, countMembers, type PlacementTreeView } from "./tree";

export type BinarySide = "left" | "right";

export const BINARY_POSITION: Readonly<Record<BinarySide, 0 | 1>> = { left: 0, right: 1 };

export type BinarySpilloverRule =
  | { readonly kind: "extreme-outside"; readonly leg: BinarySide }
  | { readonly kind: "weaker-leg"; readonly tieBreak: BinarySide }
  | { readonly kind: "breadth-first" };

export interface BinaryPlacement {
  /** The enroller; the recruit's sponsor edge points here whatever the placement. */
  readonly sponsorId: string;
  readonly parentId: string;
  readonly position: 0 | 1;
  readonly side: BinarySide;
  /** 1 = directly under the sponsor. */
  readonly levelBelowSponsor: number;
  /** The sponsor's leg the recruit ended up in. */
  readonly sponsorLeg: BinarySide;
}

export function sideOfPosition(position: number): BinarySide {
  if (position === 0) return "left";
  if (position === 1) return "right";
  throw new RangeError(`binary position must be 0 or 1, got ${position}`);
}

export function placeInBinary(view: PlacementTreeView, sponsorId: string, rule: BinarySpilloverRule): BinaryPlacement {
  switch (rule.kind) {
    case "extreme-outside":
      return extremeOutside(view, sponsorId, rule.leg);
    case "weaker-leg":
      return extremeOutside(view, sponsorId, weakerLeg(view, sponsorId, rule.tieBreak));
    case "breadth-first":
      return breadthFirst(view, sponsorId);
  }
}

function breadthFirst(view: PlacementTreeView, sponsorId: string): BinaryPlacement {
  // A finite subtree always has a leaf with two free slots; only a back-dated view can block every one.
  const slot = firstOpenSlotBreadthFirst(view, sponsorId, 2, Number.POSITIVE_INFINITY);
  if (!slot) throw new NoOpenSlotError(sponsorId, "the placement instant");
  const side = sideOfPosition(slot.position);
  return {
    sponsorId,
    parentId: slot.parentId,
    position: BINARY_POSITION[side],
    side,
    levelBelowSponsor: slot.levelBelowSponsor,
    sponsorLeg: sideOfPosition(slot.branchPosition),
  };
}

/** The leg of `sponsorId` with fewer members; `tieBreak` when they are equal. */
export function weakerLeg(view: PlacementTreeView, sponsorId: string, tieBreak: BinarySide): BinarySide {
  const left = legMembers(view, sponsorId, "left");
  const right = legMembers(view, sponsorId, "right");
  if (left === right) return tieBreak;
  return left < right ? "left" : "right";
}

export function legMembers(view: PlacementTreeView, nodeId: string, side: BinarySide): number {
  const child = childAt(view, nodeId, BINARY_POSITION[side]);
  return child === null ? 0 : countMembers(view, child);
}

function extremeOutside(view: PlacementTreeView, sponsorId: string, leg: BinarySide): BinaryPlacement {
  const position = BINARY_POSITION[leg];
  const visited = new Set<string>();
  let parentId = sponsorId;
  for (let levelBelowSponsor = 1; ; levelBelowSponsor += 1) {
    if (visited.has(parentId)) throw new CorruptTreeError(parentId, `the ${leg} outside leg of ${sponsorId} loops`);
    visited.add(parentId);
    const occupant = childAt(view, parentId, position);
    if (occupant === null) return { sponsorId, parentId, position, side: leg, levelBelowSponsor, sponsorLeg: leg };
    if (!acceptsChildren(view, occupant)) return breadthFirst(view, sponsorId);
    parentId = occupant;
  }
}

function childAt(view: PlacementTreeView, parentId: string, position: number): string | null {
  return view.childrenOf(parentId).find((child) => child.position === position)?.nodeId ?? null;
}
