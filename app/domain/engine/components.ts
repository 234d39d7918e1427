/**
 * The one place that knows which evaluator runs which plan component type. A new plan type (binary, forced
 * matrix, rank bonus, fast-start, matching) adds its schema to plan-schema.ts, its evaluator file, and a case
 * here; the compiler's exhaustiveness check points at this switch until it does.
 */
import type { PlanComponent } from "./plan-schema";
import type { ComponentContext, ComponentOutput } from "./types";
import { evaluateUnilevel } from "./unilevel";

export function evaluateComponent(component: PlanComponent, context: ComponentContext): ComponentOutput {
  switch (component.type) {
    case "unilevel":
      return evaluateUnilevel(component, context);
    default: {
      const unknown: never = component.type;
      throw new Error(`no evaluator for plan component type "${String(unknown)}"`);
    }
  }
}
