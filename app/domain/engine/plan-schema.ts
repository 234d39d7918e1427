/**
 * The commission plan rule format, validated with zod. A plan version is a list of typed components
 * (a discriminated union on `type`), so one version can combine e.g. unilevel + binary + matching later:
 * each new plan type adds one schema here, one evaluator file, and one case in components.ts.
 *
 * Every number that decides money is a decimal string ("12.5" percent, "250" minor units), never a JSON
 * float, so a rate means exactly what the merchant typed.
 */
import { z } from "zod";
import { decimalAtMost } from "./decimal";

/** Deep enough for any published unilevel (5–10 levels are typical, vendors cap at 20) with headroom. */
export const MAX_UNILEVEL_DEPTH = 50;

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const identifierMessage = "must be 1–63 letters, digits, '_', '.' or '-', starting with a letter or digit";

/** Rule ids end up in idempotency keys and commission lines; keep them short and plain. */
export const ruleIdSchema = z.string({ error: "must be a string" }).regex(IDENTIFIER, { error: identifierMessage });
export const classIdSchema = z.string({ error: "must be a string" }).regex(IDENTIFIER, { error: identifierMessage });

export const percentTextSchema = z
  .string({ error: 'must be a decimal string such as "12.5"' })
  .regex(/^\d{1,3}(\.\d{1,6})?$/, { error: 'must be a decimal string such as "12.5" (at most 6 decimals)' })
  .refine((text) => decimalAtMost(text, 100n), { error: "must not exceed 100" });

const minorUnitsTextSchema = z
  .string({ error: 'must be a string of minor units such as "250"' })
  .regex(/^\d{1,15}$/, { error: 'must be a whole number of minor units as a string, such as "250"' });

const currencySchema = z
  .string({ error: "must be an ISO 4217 code" })
  .regex(/^[A-Z]{3}$/, { error: 'must be an upper-case ISO 4217 code such as "USD"' });

/** A share of the line's commission base, or a fixed amount per unit sold (in one currency). */
export const rateSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({ kind: z.literal("percent"), percent: percentTextSchema }),
    z.strictObject({ kind: z.literal("fixed_per_unit"), amountMinor: minorUnitsTextSchema, currency: currencySchema }),
  ],
  { error: (issue) => (issue.code === "invalid_union" ? "must be \"percent\" or \"fixed_per_unit\"" : undefined) },
);

export const unilevelComponentSchema = z
  .strictObject({
    type: z.literal("unilevel"),
    id: ruleIdSchema,
    /** How many levels are paid. */
    maxDepth: z
      .int({ error: "must be a whole number" })
      .min(1, { error: "must be at least 1" })
      .max(MAX_UNILEVEL_DEPTH, { error: `must be at most ${MAX_UNILEVEL_DEPTH}` }),
    /**
     * "dynamic": an upline who is not active is skipped and does not use up a level, so the level goes to the
     * next active upline. "none": every upline holds their level; a level whose holder is not active is breakage.
     */
    compression: z.enum(["dynamic", "none"], { error: 'must be "dynamic" or "none"' }),
    /** Per commission class, the rate of level 1, 2, 3…; a class missing here (or a shorter list) pays nothing there. */
    rates: z.record(classIdSchema, z.array(rateSchema).min(1, { error: "must list at least the level 1 rate" })),
  })
  .superRefine((component, ctx) => {
    for (const [classId, levels] of Object.entries(component.rates)) {
      if (levels.length > component.maxDepth) {
        ctx.addIssue({
          code: "custom",
          path: ["rates", classId],
          message: `lists ${levels.length} levels but maxDepth is ${component.maxDepth}`,
        });
      }
    }
  });

/** Add binary, forced matrix, rank, fast-start and matching schemas to this union as they are written. */
export const planComponentSchema = z.discriminatedUnion("type", [unilevelComponentSchema], {
  error: (issue) => (issue.code === "invalid_union" ? "unknown component type; supported: unilevel" : undefined),
});

export const planRulesSchema = z
  .strictObject({
    /** The format of this document; bump it (and migrate stored plans) when the format changes incompatibly. */
    schemaVersion: z.literal(1, { error: "must be 1" }),
    components: z.array(planComponentSchema).min(1, { error: "must contain at least one component" }),
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
  });

export type Rate = z.infer<typeof rateSchema>;
export type UnilevelComponent = z.infer<typeof unilevelComponentSchema>;
export type PlanComponent = z.infer<typeof planComponentSchema>;
export type PlanComponentType = PlanComponent["type"];
export type PlanRules = z.infer<typeof planRulesSchema>;

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
    for (const classId of Object.keys(component.rates)) if (!known.has(classId)) missing.add(classId);
  }
  return [...missing].sort();
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
  return path
    .map((part, index) => (typeof part === "number" ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`))
    .join("");
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
