/**
 * Forced matrix: per-level rates paid up the PLACEMENT chain (context.placementUpline), `depth` levels deep.
 * Level 1 is the placement node the chain starts at (the attributed distributor, or the buying distributor's
 * placement parent), level 2 their placement parent, and so on, with the component's compression. Where the
 * recruit landed by spillover decides who is paid here; the sponsor stays the enroller for every sponsor-based
 * bonus (unilevel, fast-start, matching), which read the sponsor chain instead.
 */
import { assignLevels, compileLevelRates, payLevels } from "./level-payout";
import type { MatrixComponent } from "./plan-schema";
import type { ComponentContext, ComponentOutput } from "./types";

export function evaluateMatrix(component: MatrixComponent, context: ComponentContext): ComponentOutput {
  const { holders, compressed } = assignLevels({ maxDepth: component.depth, compression: component.compression }, context.placementUpline ?? []);
  const payout = payLevels(compileLevelRates(component.rates), holders, {
    rule: component.id,
    kind: "matrix",
    currency: context.currency,
    rounding: context.rounding,
    lines: context.lines,
  });
  if (context.placementUpline === undefined) payout.flags.push({ type: "no_placement_upline", rule: component.id });
  return {
    ...payout,
    snapshot: {
      type: "matrix",
      rule: component.id,
      compression: component.compression,
      levels: holders.map(({ level, distributorId, paid }) => ({ level, distributorId, paid })),
      compressed,
    },
  };
}
