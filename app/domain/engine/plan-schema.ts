/**
 * The commission plan rule format, validated with zod. A plan version is a list of typed components
 * (a discriminated union on `type`), so one version combines e.g. unilevel + binary + matching. Components
 * paid per order (unilevel, matrix, fast_start) run in evaluate.ts; period components (binary, rank, matching,
 * rank_advancement) run when a period closes (app/domain/periods) and need the version's `period` schedule.
 * Each plan type adds one schema, one evaluator file, and one case in components.ts or periods/close.ts.
 *
 * Every number that decides money is a decimal string ("12.5" percent, "250" minor units), never a JSON
 * float, so a rate means exactly what the merchant typed.
 */
import { z } from "zod";
import { checkPlanReferences } from "./plan-references";
import {
  fastStartComponentSchema,
  matrixComponentSchema,
  unilevelComponentSchema,
  type FastStartComponent,
  type MatrixComponent,
  type UnilevelComponent,
} from "./order-component-schemas";
import {
  binaryComponentSchema,
  matchingComponentSchema,
  rankAdvancementComponentSchema,
  rankComponentSchema,
  type BinaryComponent,
  type MatchingComponent,
  type RankAdvancementComponent,
  type RankComponent,
} from "./period-component-schemas";
import { moneyAmountSchema, percentTextSchema } from "./schema-atoms";
import { additionalSchedulesSchema, checkAdditionalSchedules, checkRelativeRates, paycutSchema, roundingModeSchema } from "./plan-capabilities";

export { MAX_UNILEVEL_DEPTH, unilevelComponentSchema, matrixComponentSchema, fastStartComponentSchema } from "./order-component-schemas";
export { binaryComponentSchema, rankComponentSchema, matchingComponentSchema, rankAdvancementComponentSchema } from "./period-component-schemas";
export { classIdSchema, percentTextSchema, rankIdSchema, rateSchema, ruleIdSchema, type Rate } from "./schema-atoms";

export const PER_ORDER_COMPONENT_TYPES = ["unilevel", "matrix", "fast_start"] as const;
export const PERIOD_COMPONENT_TYPES = ["binary", "rank", "matching", "rank_advancement"] as const;
const ALL_TYPES = [...PER_ORDER_COMPONENT_TYPES, ...PERIOD_COMPONENT_TYPES];

export const planComponentSchema = z.discriminatedUnion(
  "type",
  [
    unilevelComponentSchema,
    matrixComponentSchema,
    fastStartComponentSchema,
    binaryComponentSchema,
    rankComponentSchema,
    matchingComponentSchema,
    rankAdvancementComponentSchema,
  ],
  { error: (issue) => (issue.code === "invalid_union" ? `unknown component type; supported: ${ALL_TYPES.join(", ")}` : undefined) },
);

/** When the version's period components are computed, and the smallest amount paid out after a close. */
export const periodScheduleSchema = z.strictObject({
  schedule: z.enum(["weekly", "monthly"], { error: 'must be "weekly" or "monthly"' }),
  /** A distributor whose payable balance is below this keeps it for the next period of the same schedule. */
  minimumPayout: moneyAmountSchema.optional(),
});

export const planRulesSchema = z
  .strictObject({
    /** The format of this document; bump it (and migrate stored plans) when the format changes incompatibly. */
    schemaVersion: z.literal(1, { error: "must be 1" }),
    components: z.array(planComponentSchema).min(1, { error: "must contain at least one component" }),
    period: periodScheduleSchema.optional(),
    /**
     * The most the plan pays in total, as a percent of the period's commissionable sales. Checked statically
     * against the per-order percentages and enforced at period close by scaling period bonuses down.
     */
    maxPayoutPercent: percentTextSchema.optional(),
    /**
     * How every award of this plan is rounded to the minor unit, once (money.ts divideRound): "half_even"
     * (the default when absent), "half_up" or "toward_zero".
     */
    rounding: roundingModeSchema.optional(),
    /** Schedules besides `period`, each paying out the components it lists (plan-capabilities.ts). */
    additionalSchedules: additionalSchedulesSchema.optional(),
    /** Cut every commission of a period down to this share of its sales (plan-capabilities.ts). */
    paycut: paycutSchema.optional(),
  })
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.components.forEach((component, index) => {
      // The component id is the `rule` on every commission line and part of every idempotency key.
      if (seen.has(component.id)) {
        ctx.addIssue({ code: "custom", path: ["components", index, "id"], message: `"${component.id}" is used twice` });
      }
      seen.add(component.id);
    });
    for (const issue of checkPlanReferences(rules)) ctx.addIssue({ code: "custom", ...issue });
    for (const issue of checkRelativeRates(rules.components)) ctx.addIssue({ code: "custom", ...issue });
    for (const issue of checkAdditionalSchedules(rules)) ctx.addIssue({ code: "custom", ...issue });
  });

export type PlanComponent = z.infer<typeof planComponentSchema>;
export type PlanComponentType = PlanComponent["type"];
export type PerOrderComponent = Extract<PlanComponent, { type: (typeof PER_ORDER_COMPONENT_TYPES)[number] }>;
export type PeriodComponent = Extract<PlanComponent, { type: (typeof PERIOD_COMPONENT_TYPES)[number] }>;
export type PlanRules = z.infer<typeof planRulesSchema>;
export type PeriodSchedule = z.infer<typeof periodScheduleSchema>;
export type { BinaryComponent, FastStartComponent, MatchingComponent, MatrixComponent, RankAdvancementComponent, RankComponent, UnilevelComponent };

export function isPerOrderComponent(component: PlanComponent): component is PerOrderComponent {
  return (PER_ORDER_COMPONENT_TYPES as readonly string[]).includes(component.type);
}

export function isPeriodComponent(component: PlanComponent): component is PeriodComponent {
  return !isPerOrderComponent(component);
}

export interface PlanIssue {
  /** Where the problem is, e.g. `components[0].rates.standard[2].percent`. */
  readonly path: string;
  readonly message: string;
}

export class PlanValidationError extends Error {
  override name = "PlanValidationError";
  constructor(readonly issues: readonly PlanIssue[]) {
    super(`invalid commission plan: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`);
  }
}

export type PlanValidation = { ok: true; rules: PlanRules } | { ok: false; issues: PlanIssue[] };

/** Validates stored or submitted plan JSON. Valid rules come back deep-frozen: a plan version never changes. */
export function validatePlanRules(json: unknown): PlanValidation {
  const parsed = planRulesSchema.safeParse(json);
  if (parsed.success) return { ok: true, rules: deepFreeze(parsed.data) };
  return { ok: false, issues: flattenIssues(parsed.error.issues) };
}

export function parsePlanRules(json: unknown): PlanRules {
  const result = validatePlanRules(json);
  if (!result.ok) throw new PlanValidationError(result.issues);
  return result.rules;
}

/**
 * Class ids the plan pays on that the shop does not have. Not an error (a plan may be written before its
 * classes), but the admin should show it: a typo here silently pays nothing on that class.
 */
export function planClassesMissingFrom(rules: PlanRules, classIds: Iterable<string>): string[] {
  const known = new Set(classIds);
  const missing = new Set<string>();
  for (const component of rules.components) {
    for (const classId of classesPaidBy(component)) if (!known.has(classId)) missing.add(classId);
  }
  return [...missing].sort();
}

/** The commission classes a per-order component pays on (period components pay on volume, not classes). */
export function classesPaidBy(component: PlanComponent): string[] {
  switch (component.type) {
    case "unilevel":
      return Object.keys(component.rates ?? component.differential?.rates ?? {});
    case "matrix":
    case "fast_start":
      return Object.keys(component.rates);
    default:
      return [];
  }
}

/**
 * How many sponsor-chain levels the per-order components of a plan can pay: how far up the upline the
 * service must load (period components load their own trees). 0 when only period components exist.
 */
export function uplineLevelsNeeded(rules: PlanRules): number {
  let levels = 0;
  for (const component of rules.components) {
    if (component.type === "unilevel") levels = Math.max(levels, component.maxDepth);
    if (component.type === "fast_start") levels = Math.max(levels, ...Object.values(component.rates).map((rates) => rates.length));
  }
  return levels;
}

/** How many placement-chain levels the matrix components pay (0 without a matrix). */
export function placementLevelsNeeded(rules: PlanRules): number {
  let levels = 0;
  for (const component of rules.components) if (component.type === "matrix") levels = Math.max(levels, component.depth);
  return levels;
}

type ZodIssueLike = { path: readonly PropertyKey[]; message: string; code?: string; issues?: readonly ZodIssueLike[] };

function flattenIssues(issues: readonly ZodIssueLike[], prefix: readonly PropertyKey[] = []): PlanIssue[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    // A bad record key ("Invalid key in record") carries the useful message one level down.
    if (issue.code === "invalid_key" && issue.issues?.length) {
      return issue.issues.map((inner) => ({ path: formatPath(path), message: `key ${inner.message}` }));
    }
    return [{ path: formatPath(path), message: issue.message }];
  });
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(plan)";
  return path.map((part, index) => (typeof part === "number" ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`)).join("");
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
