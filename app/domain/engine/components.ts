/**
 * The one place that knows which evaluator runs which per-order plan component type. A new per-order type adds
 * its schema to order-component-schemas.ts, its evaluator file, and a case here; the compiler's exhaustiveness
 * check points at this switch until it does. Period components run in app/domain/periods/close.ts.
 */
import { evaluateFastStart } from "./fast-start";
import { evaluateMatrix } from "./matrix";
import type { PerOrderComponent } from "./plan-schema";
import type { ComponentContext, ComponentOutput } from "./types";
import { evaluateUnilevel } from "./unilevel";

export function evaluateComponent(component: PerOrderComponent, context: ComponentContext): ComponentOutput {
  switch (component.type) {
    case "unilevel":
      return evaluateUnilevel(component, context);
    case "matrix":
      return evaluateMatrix(component, context);
    case "fast_start":
      return evaluateFastStart(component, context);
    default: {
      const unknown: never = component;
      throw new Error(`no evaluator for plan component type "${String((unknown as { type: unknown }).type)}"`);
    }
  }
}
