/**
 * The plan builder's form state ("draft") and its mapping to and from plan JSON. The draft is the plan JSON with
 * two changes a form needs: whole numbers are the text the merchant typed (so "3x" stays in the field and the
 * plan schema names it, instead of being lost), and records keyed by class or rank are ordered lists of entries
 * (so a class can be renamed in place). Everything the forms do not edit passes through untouched, so
 * plan → draft → plan and draft → plan → draft are both identities (for whole numbers written without leading zeros).
 * Validation is never done here: draftToPlan writes what was typed and validatePlanRules judges it.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A record turned into a list: `{ standard: [...] }` ⇄ `[{ key: "standard", value: [...] }]`. */
export interface Entry {
  key: string;
  value: Json;
}

/** Keys of a component whose value is a whole number in the plan and typed text in the draft. */
const WHOLE_NUMBER_KEYS = ["maxDepth", "width", "depth", "windowDays", "maxCyclesPerPeriod"] as const;
/** Keys of a component whose value is a record the form edits as a list. */
const RECORD_KEYS = ["rates", "bonuses"] as const;

const WHOLE = /^\d{1,9}$/;

export interface PlanDraft {
  /** Top-level keys (schemaVersion, period, maxPayoutPercent…) as in the plan. */
  readonly plan: JsonObject;
  readonly components: readonly ComponentDraft[];
}

/** A component as the forms edit it: the plan component with whole numbers as text and records as entry lists. */
export type ComponentDraft = { [key: string]: Json | Entry[] | undefined };

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Plan JSON (valid or not) → draft. Anything that is not an object becomes an empty plan. */
export function planToDraft(plan: unknown): PlanDraft {
  if (!isObject(plan)) return { plan: { schemaVersion: 1 }, components: [] };
  const { components, ...rest } = plan;
  return { plan: rest, components: Array.isArray(components) ? components.map(componentToDraft) : [] };
}

export function componentToDraft(component: Json): ComponentDraft {
  if (!isObject(component)) return { type: "", id: "" };
  const draft: ComponentDraft = { ...component };
  for (const key of WHOLE_NUMBER_KEYS) if (typeof component[key] === "number") draft[key] = String(component[key]);
  for (const key of RECORD_KEYS) {
    const value = component[key];
    if (isObject(value)) draft[key] = Object.entries(value).map(([entryKey, entryValue]) => ({ key: entryKey, value: entryValue }));
  }
  if (component.type === "rank" && Array.isArray(component.ranks)) {
    draft.ranks = component.ranks.map((rank) =>
      isObject(rank) && typeof rank.activeLegs === "number" ? { ...rank, activeLegs: String(rank.activeLegs) } : rank,
    );
  }
  return draft;
}

/** Draft → plan JSON, as typed: an empty optional field is left out, a non-number stays text for the schema to name. */
export function draftToPlan(draft: PlanDraft): JsonObject {
  return { ...draft.plan, components: draft.components.map(componentFromDraft) };
}

export function componentFromDraft(draft: ComponentDraft): JsonObject {
  const component: JsonObject = {};
  for (const [key, value] of Object.entries(draft)) {
    if (value === undefined) continue;
    if ((WHOLE_NUMBER_KEYS as readonly string[]).includes(key) && typeof value === "string") {
      if (value.trim() === "") continue;
      component[key] = wholeOrText(value);
    } else if ((RECORD_KEYS as readonly string[]).includes(key) && isEntryList(value)) {
      component[key] = Object.fromEntries(value.map((entry) => [entry.key, entry.value]));
    } else {
      component[key] = value as Json;
    }
  }
  if (component.type === "rank" && Array.isArray(component.ranks)) {
    component.ranks = component.ranks.map((rank) =>
      isObject(rank) && typeof rank.activeLegs === "string" && rank.activeLegs.trim() !== "" ? { ...rank, activeLegs: wholeOrText(rank.activeLegs) } : rank,
    );
  }
  return component;
}

function wholeOrText(text: string): Json {
  const trimmed = text.trim();
  return WHOLE.test(trimmed) ? Number(trimmed) : text;
}

function isEntryList(value: Json | Entry[]): value is Entry[] {
  return Array.isArray(value) && value.every((item) => isObject(item) && typeof item.key === "string" && "value" in item && Object.keys(item).length === 2);
}

/** Plan JSON text for the advanced view. */
export function draftToJsonText(draft: PlanDraft): string {
  return JSON.stringify(draftToPlan(draft), null, 2);
}

export type DraftFromText = { ok: true; draft: PlanDraft } | { ok: false; message: string };

/** The advanced view's text back into the forms; text that is not JSON is refused (the forms cannot show it). */
export function draftFromJsonText(text: string): DraftFromText {
  try {
    return { ok: true, draft: planToDraft(JSON.parse(text) as unknown) };
  } catch (error) {
    return { ok: false, message: `is not valid JSON (${(error as Error).message})` };
  }
}

/** The path the plan schema reports for a component field (validatePlanRules' PlanIssue.path format). */
export function componentPath(index: number, ...parts: readonly (string | number)[]): string {
  return `components[${index}]${parts.map((part) => (typeof part === "number" ? `[${part}]` : `.${part}`)).join("")}`;
}
