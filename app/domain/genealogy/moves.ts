/**
 * Admin moves: changing a distributor's sponsor, or their place in the placement tree. A move is a
 * correction with a reason and an actor, effective from an instant. It never edits history: the edge in force
 * at that instant is closed there and a new edge opens there ([from, t) then [t, …)), so "the upline of X at
 * T" keeps its old answer for every T before the move. Commissions already computed are untouched by
 * construction: each stores the upline snapshot it was computed from, and refunds reverse that snapshot.
 *
 * A move carries the node's whole downline with it (their edges point at the node, not at its old parent).
 *
 * Refused, with InvalidMoveError or CycleError:
 * - a blank reason (every move is audited and must say why);
 * - an instant before `lockedBefore` (e.g. the end of the last closed period, whose pay must stay reproducible);
 * - a node with no open-ended edge in force at that instant, or an instant not after that edge's start
 *   (the old edge would hold for no time at all: correct the enrolment instead);
 * - a node that already has a change scheduled after that instant (cancel it first, then move);
 * - the same parent (and slot) again;
 * - a cycle: the new parent is the node or in its downline, at the move instant or at any later instant at
 *   which another part of the tree is scheduled to change (a later move elsewhere could otherwise close a loop).
 * Placement moves also need a slot inside the plan's width that nobody holds from the move instant on.
 */
import { assertNoCycle } from "./cycles";
import { InvalidMoveError } from "./errors";
import { assertValidInterval, inForceAt, overlaps, startingAfter } from "./intervals";
import type { PlacementEdge, TreeEdge } from "./tree";

export interface MoveRequest {
  readonly nodeId: string;
  readonly newParentId: string;
  readonly effectiveFrom: Date;
  readonly reason: string;
  readonly actor: string;
}

export interface PlacementMoveRequest extends MoveRequest {
  readonly position: number;
}

export interface MoveContext<E extends TreeEdge> {
  /** Every edge of the moved node in this tree, past and future. */
  readonly nodeEdges: readonly E[];
  /** The tree before this move: the parent of any node as of an instant. */
  readonly parentAt: (nodeId: string, at: Date) => string | null;
  /** Instants after the move at which other edges of this tree start (scheduled moves elsewhere). */
  readonly laterChangeTimes?: readonly Date[];
  /** Moves may not take effect before this instant. */
  readonly lockedBefore?: Date | null;
}

export interface PlacementMoveContext extends MoveContext<PlacementEdge> {
  /** Slots per node: 2 for binary, the matrix width otherwise. */
  readonly width: number;
  /** Every edge (past and future) whose parent is the new parent: who holds which slot when. */
  readonly newParentChildEdges: readonly PlacementEdge[];
}

export interface MoveAudit {
  readonly nodeId: string;
  readonly fromParentId: string;
  readonly toParentId: string;
  readonly effectiveFrom: Date;
  readonly reason: string;
  readonly actor: string;
}

/** What the service writes in one transaction: close one edge, open one, record the audit row. */
export interface MovePlan<E extends TreeEdge> {
  readonly close: E;
  readonly open: E;
  readonly audit: MoveAudit;
}

export function planSponsorMove(request: MoveRequest, context: MoveContext<TreeEdge>): MovePlan<TreeEdge> {
  const current = currentEdgeForMove(request, context);
  if (current.parentId === request.newParentId) {
    throw new InvalidMoveError("no_change", `${request.nodeId} is already sponsored by ${request.newParentId}`);
  }
  assertNoCycleFromMoveOn(request, context);
  return split(current, { ...current, parentId: request.newParentId }, request);
}

export function planPlacementMove(request: PlacementMoveRequest, context: PlacementMoveContext): MovePlan<PlacementEdge> {
  const current = currentEdgeForMove(request, context);
  const { position } = request;
  if (!Number.isSafeInteger(position) || position < 0 || position >= context.width) {
    throw new InvalidMoveError("position_out_of_range", `position ${position} is outside 0..${context.width - 1}`);
  }
  if (current.parentId === request.newParentId && current.position === position) {
    throw new InvalidMoveError("no_change", `${request.nodeId} already holds that slot`);
  }
  const wanted = { validFrom: request.effectiveFrom, validTo: null };
  const holder = context.newParentChildEdges.find((edge) => edge.position === position && edge.nodeId !== request.nodeId && overlaps(edge, wanted));
  if (holder) {
    throw new InvalidMoveError(
      "position_taken",
      `slot ${position} under ${request.newParentId} is held by ${holder.nodeId} from ${holder.validFrom.toISOString()}`,
    );
  }
  assertNoCycleFromMoveOn(request, context);
  return split(current, { ...current, parentId: request.newParentId, position }, request);
}

/** The open-ended edge in force at the move instant, after the checks every move shares. */
function currentEdgeForMove<E extends TreeEdge>(request: MoveRequest, context: MoveContext<E>): E {
  const { nodeId, effectiveFrom } = request;
  if (request.reason.trim() === "" || request.actor.trim() === "") {
    throw new InvalidMoveError("reason_required", "a move needs a reason and an actor");
  }
  if (context.lockedBefore && effectiveFrom.getTime() < context.lockedBefore.getTime()) {
    throw new InvalidMoveError("locked_period", `moves cannot take effect before ${context.lockedBefore.toISOString()} (a closed period)`);
  }
  const current = inForceAt(context.nodeEdges, effectiveFrom);
  if (!current) {
    throw new InvalidMoveError("not_in_tree", `${nodeId} has no parent at ${effectiveFrom.toISOString()}`);
  }
  const later = startingAfter(context.nodeEdges, effectiveFrom);
  if (current.validTo !== null || later.length > 0) {
    throw new InvalidMoveError("later_change_exists", `${nodeId} already has a change after ${effectiveFrom.toISOString()}; cancel it before moving again`);
  }
  if (effectiveFrom.getTime() <= current.validFrom.getTime()) {
    throw new InvalidMoveError("not_after_current_edge", `the move must take effect after ${current.validFrom.toISOString()}, when the current edge started`);
  }
  return current;
}

function assertNoCycleFromMoveOn<E extends TreeEdge>(request: MoveRequest, context: MoveContext<E>): void {
  const instants = [request.effectiveFrom, ...(context.laterChangeTimes ?? []).filter((at) => at.getTime() > request.effectiveFrom.getTime())];
  for (const at of instants) {
    assertNoCycle(request.nodeId, request.newParentId, (nodeId) => context.parentAt(nodeId, at));
  }
}

function split<E extends TreeEdge>(current: E, replacement: E, request: MoveRequest): MovePlan<E> {
  const close = { ...current, validTo: request.effectiveFrom };
  const open = { ...replacement, validFrom: request.effectiveFrom, validTo: null };
  assertValidInterval(close);
  return {
    close,
    open,
    audit: {
      nodeId: request.nodeId,
      fromParentId: current.parentId,
      toParentId: request.newParentId,
      effectiveFrom: request.effectiveFrom,
      reason: request.reason.trim(),
      actor: request.actor.trim(),
    },
  };
}
