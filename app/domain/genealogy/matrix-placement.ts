/**
 * Forced-matrix placement (width × depth, e.g. 3×9).
 *
 * THE RULE. A new recruit is placed in their sponsor's matrix: the `depth` levels of the placement tree below
 * the sponsor, each node having at most `width` slots. The slot taken is the first open one in breadth-first
 * order, "top to bottom, left to right": the shallowest level that has an open slot, and on that level the
 * leftmost one, where left-to-right order is the order of the slot paths read from the sponsor (compare the
 * first position, then the second, and so on). Open slots left by a distributor moved away are holes and are
 * filled first like any other open slot. The sponsor edge is not touched: the sponsor stays the enroller and
 * keeps the recruit as a personal referral, whichever node the recruit lands under.
 *
 * Published example (width 3): A has B, C, D; B has E, F, G; C has H, I, J. A refers K → K lands under D,
 * D's first slot (level 1 is full, and at level 2 the slots under B and C are taken). Likewise the fourth
 * recruit of a width-3 sponsor lands in the first slot of the sponsor's first child.
 *
 * When every slot is taken (width + width² + … + width^depth members) the placement is refused with
 * MatrixFullError: what happens then (place in the upline's matrix, open a re-entry position) is a plan
 * decision for the caller, not something to guess here.
 *
 * Children sitting at positions ≥ width (left by an older, wider plan version) are still traversed as part of
 * the tree but never count as free capacity.
 */
import { firstOpenSlotBreadthFirst } from "./breadth-first";
import { MatrixFullError } from "./errors";
import type { PlacementTreeView } from "./tree";

export interface MatrixShape {
  /** Slots per node (frontline width). */
  readonly width: number;
  /** Levels below the sponsor that belong to the sponsor's matrix. */
  readonly depth: number;
}

export interface MatrixPlacement {
  /** The enroller; the recruit's sponsor edge points here whatever the placement. */
  readonly sponsorId: string;
  readonly parentId: string;
  /** 0-based slot under the parent, left to right. */
  readonly position: number;
  /** 1 = directly under the sponsor. */
  readonly levelBelowSponsor: number;
}

export function assertMatrixShape(shape: MatrixShape): void {
  for (const [name, value] of [
    ["width", shape.width],
    ["depth", shape.depth],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`matrix ${name} must be a positive integer`);
  }
}

/** The first open slot of `sponsorId`'s matrix in breadth-first order; throws MatrixFullError if there is none. */
export function placeInMatrix(view: PlacementTreeView, sponsorId: string, shape: MatrixShape): MatrixPlacement {
  assertMatrixShape(shape);
  const slot = firstOpenSlotBreadthFirst(view, sponsorId, shape.width, shape.depth);
  if (!slot) throw new MatrixFullError(sponsorId, shape.width, shape.depth);
  return { sponsorId, parentId: slot.parentId, position: slot.position, levelBelowSponsor: slot.levelBelowSponsor };
}
