/**
 * Typed genealogy errors. Each carries a stable `code` so the service can map it to a problem+json response
 * (422 for a refused admin action) without parsing messages, and a message a person can act on.
 */

export type GenealogyErrorCode =
  "cycle" | "corrupt_tree" | "matrix_full" | "no_open_slot" | "not_placed" | "invalid_interval" | "overlapping_intervals" | "invalid_move";

export class GenealogyError extends Error {
  override name = "GenealogyError";
  constructor(
    readonly code: GenealogyErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A move would make a distributor their own ancestor. `path` runs from the proposed parent up to the node. */
export class CycleError extends GenealogyError {
  override name = "CycleError";
  constructor(
    readonly nodeId: string,
    readonly newParentId: string,
    readonly path: readonly string[],
  ) {
    super(
      "cycle",
      nodeId === newParentId
        ? `${nodeId} cannot be placed under itself`
        : `${newParentId} is in the downline of ${nodeId} (${path.join(" → ")}); moving ${nodeId} under it would create a cycle`,
    );
  }
}

/** The stored tree already contains a loop or a runaway chain: data to repair, not a request to refuse. */
export class CorruptTreeError extends GenealogyError {
  override name = "CorruptTreeError";
  constructor(
    readonly nodeId: string,
    detail: string,
  ) {
    super("corrupt_tree", `the tree above ${nodeId} is corrupt: ${detail}`);
  }
}

/** Every slot of the sponsor's forced matrix (width × depth) is taken. */
export class MatrixFullError extends GenealogyError {
  override name = "MatrixFullError";
  constructor(
    readonly sponsorId: string,
    readonly width: number,
    readonly depth: number,
  ) {
    super("matrix_full", `the ${width}×${depth} matrix of ${sponsorId} is full`);
  }
}

/**
 * A back-dated placement found no slot that was open at its instant and has stayed open since: every place
 * under the sponsor that existed then has been filled by someone who joined later.
 */
export class NoOpenSlotError extends GenealogyError {
  override name = "NoOpenSlotError";
  constructor(
    readonly sponsorId: string,
    readonly at: string,
  ) {
    super("no_open_slot", `no slot under ${sponsorId} was open at ${at} and has stayed open since`);
  }
}

export class InvalidMoveError extends GenealogyError {
  override name = "InvalidMoveError";
  constructor(
    readonly reason:
      | "reason_required"
      | "locked_period"
      | "not_in_tree"
      | "no_change"
      | "not_after_current_edge"
      | "later_change_exists"
      | "position_out_of_range"
      | "position_taken",
    message: string,
  ) {
    super("invalid_move", message);
  }
}
