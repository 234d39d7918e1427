/**
 * How deep the sponsor upline of an order is loaded before evaluation, for the worker and the what-if alike.
 *
 * At least one level, whatever the plan: index 0 of the upline is the attributed distributor, the owner of the
 * order's volume that every period component (binary legs, ranks, matching) is built on. A plan made only of
 * period components pays no level per order, but its snapshot must still say whose volume the order is, or the
 * close credits it to nobody.
 */
import { uplineLevelsNeeded, type PlanRules } from "./plan-schema";

export function uplineDepthToLoad(rules: PlanRules): number {
  return Math.max(1, uplineLevelsNeeded(rules));
}
