/**
 * Fast-start: a share of a new recruit's own orders during `windowDays` after their enrollment, paid up the
 * recruit's sponsor chain (level 1 = the enroller), e.g. doTERRA's 20/10/5 for 60 days. The recruit is the
 * buyer when the buyer is a distributor (input.buyer); for any other order, or an order outside the window
 * [enrolledAt, enrolledAt + windowDays), the component pays nothing and reports no breakage: nothing was due.
 * Inside the window it behaves like a short unilevel with its own rates and compression.
 */
import { assignLevels, compileLevelRates, payLevels } from "./level-payout";
import type { FastStartComponent } from "./plan-schema";
import type { ComponentContext, ComponentOutput, FastStartComponentSnapshot } from "./types";

const DAY_MS = 86_400_000;

export function evaluateFastStart(component: FastStartComponent, context: ComponentContext): ComponentOutput {
  const levels = Math.max(...Object.values(component.rates).map((rates) => rates.length), 0);
  const window = windowOf(component, context);
  const empty = { lines: [], breakage: [], flags: [] };
  if (!window?.inWindow || levels === 0) {
    return { ...empty, snapshot: { type: "fast_start", rule: component.id, compression: component.compression, levels: [], compressed: [], window } };
  }
  const { holders, compressed } = assignLevels({ maxDepth: levels, compression: component.compression }, context.upline);
  const payout = payLevels(compileLevelRates(component.rates), holders, {
    rule: component.id,
    kind: "fast_start",
    currency: context.currency,
    rounding: context.rounding,
    lines: context.lines,
  });
  return {
    ...payout,
    snapshot: {
      type: "fast_start",
      rule: component.id,
      compression: component.compression,
      levels: holders.map(({ level, distributorId, paid }) => ({ level, distributorId, paid })),
      compressed,
      window,
    },
  };
}

function windowOf(component: FastStartComponent, context: ComponentContext): FastStartComponentSnapshot["window"] {
  if (!context.buyer) return null;
  const start = Date.parse(context.buyer.enrolledAt);
  const at = Date.parse(context.at);
  const end = start + component.windowDays * DAY_MS;
  return {
    recruitId: context.buyer.distributorId,
    enrolledAt: context.buyer.enrolledAt,
    endsAt: new Date(end).toISOString(),
    inWindow: at >= start && at < end,
  };
}
