/**
 * What changed between two plan versions, leaf by leaf, with paths in the plan schema's format
 * (`components[0].rates.standard[1].percent`). Components are matched by id, not position, so reordering a
 * version's components is not reported as every field changing.
 */
import type { Json } from "./plan-draft";

export interface PlanChange {
  readonly path: string;
  readonly kind: "added" | "removed" | "changed";
  /** The JSON text of the value before (absent when added) and after (absent when removed). */
  readonly before?: string;
  readonly after?: string;
}

function isObject(value: unknown): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  return JSON.stringify(value);
}

export function diffPlans(before: unknown, after: unknown): PlanChange[] {
  const changes: PlanChange[] = [];
  if (isObject(before) && isObject(after)) {
    const { components: beforeComponents, ...beforeRest } = before;
    const { components: afterComponents, ...afterRest } = after;
    diffValue(beforeRest, afterRest, "", changes);
    diffComponents(beforeComponents, afterComponents, changes);
  } else {
    diffValue(before, after, "", changes);
  }
  return changes;
}

function componentKey(component: unknown, index: number): string {
  return isObject(component) && typeof component.id === "string" ? `id:${component.id}` : `index:${index}`;
}

function diffComponents(before: unknown, after: unknown, changes: PlanChange[]): void {
  const beforeList = Array.isArray(before) ? before : [];
  const afterList = Array.isArray(after) ? after : [];
  const beforeByKey = new Map(beforeList.map((component, index) => [componentKey(component, index), component]));
  const seen = new Set<string>();
  afterList.forEach((component, index) => {
    const key = componentKey(component, index);
    seen.add(key);
    const label = isObject(component) && typeof component.id === "string" ? `components[${component.id}]` : `components[${index}]`;
    if (beforeByKey.has(key)) diffValue(beforeByKey.get(key), component, label, changes);
    else changes.push({ path: label, kind: "added", after: text(component) });
  });
  beforeList.forEach((component, index) => {
    const key = componentKey(component, index);
    if (seen.has(key)) return;
    const label = isObject(component) && typeof component.id === "string" ? `components[${component.id}]` : `components[${index}]`;
    changes.push({ path: label, kind: "removed", before: text(component) });
  });
}

function join(path: string, part: string | number): string {
  if (typeof part === "number") return `${path}[${part}]`;
  return path === "" ? part : `${path}.${part}`;
}

function diffValue(before: unknown, after: unknown, path: string, changes: PlanChange[]): void {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    for (const key of keys) {
      const child = join(path, key);
      if (!(key in after)) changes.push({ path: child, kind: "removed", before: text(before[key]) });
      else if (!(key in before)) changes.push({ path: child, kind: "added", after: text(after[key]) });
      else diffValue(before[key], after[key], child, changes);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let index = 0; index < Math.max(before.length, after.length); index += 1) {
      const child = join(path, index);
      if (index >= after.length) changes.push({ path: child, kind: "removed", before: text(before[index]) });
      else if (index >= before.length) changes.push({ path: child, kind: "added", after: text(after[index]) });
      else diffValue(before[index], after[index], child, changes);
    }
    return;
  }
  if (text(before) !== text(after)) changes.push({ path: path || "(plan)", kind: "changed", before: text(before), after: text(after) });
}
