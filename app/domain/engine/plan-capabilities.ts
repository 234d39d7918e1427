/**
 * Plan-level options and checks added for the capabilities merchants use (issue 11): the rounding mode of
 * awards, and the rule that a relative rate ("percent_of_commission") needs a level below it to be relative to.
 */
import { z } from "zod";
import { ROUNDING_MODES } from "../money";
import type { PlanComponent } from "./plan-schema";

export const roundingModeSchema = z.enum(ROUNDING_MODES, { error: 'must be "half_even", "half_up" or "toward_zero"' });

export interface CapabilityIssue {
  readonly path: PropertyKey[];
  readonly message: string;
}

/** Level 1 is the seller: there is no commission below it to take a percent of. */
export function checkRelativeRates(components: readonly PlanComponent[]): CapabilityIssue[] {
  const issues: CapabilityIssue[] = [];
  components.forEach((component, index) => {
    if (component.type !== "unilevel" && component.type !== "matrix" && component.type !== "fast_start") return;
    for (const [classId, levels] of Object.entries(component.rates ?? {})) {
      if (levels[0]?.kind === "percent_of_commission") {
        issues.push({
          path: ["components", index, "rates", classId, 0, "kind"],
          message: 'level 1 cannot be "percent_of_commission": it is the commission the other levels are relative to',
        });
      }
    }
  });
  return issues;
}
