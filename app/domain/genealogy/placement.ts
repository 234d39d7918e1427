/**
 * Where a new recruit goes in the placement tree, for the plan's structure. The rules themselves live in
 * binary-placement.ts (spillover rules) and matrix-placement.ts (forced matrix, breadth-first); this is the
 * one entry the enrolment service calls. Unilevel plans have no placement tree: the sponsor tree is the tree.
 *
 * Whatever the structure, the result only names the placement parent and slot. The recruit's sponsor is
 * always the enroller, written as a separate sponsor edge, so personal-referral bonuses and matching follow
 * enrolment while binary and matrix pay follows placement.
 */
import { placeInBinary, type BinarySpilloverRule } from "./binary-placement";
import { placeInMatrix, type MatrixShape } from "./matrix-placement";
import type { PlacementTreeView } from "./tree";

export type PlacementStructure = { readonly kind: "binary"; readonly spillover: BinarySpilloverRule } | ({ readonly kind: "matrix" } & MatrixShape);

export interface PlacementDecision {
  readonly sponsorId: string;
  readonly parentId: string;
  readonly position: number;
  readonly levelBelowSponsor: number;
}

/** Throws MatrixFullError when a forced matrix has no open slot; binary placement always finds one. */
export function placeRecruit(view: PlacementTreeView, sponsorId: string, structure: PlacementStructure): PlacementDecision {
  const placement = structure.kind === "binary" ? placeInBinary(view, sponsorId, structure.spillover) : placeInMatrix(view, sponsorId, structure);
  return {
    sponsorId,
    parentId: placement.parentId,
    position: placement.position,
    levelBelowSponsor: placement.levelBelowSponsor,
  };
}
