/**
 * Plan-level options and checks added for the capabilities merchants use (issue 11): the rounding mode of
 * awards, and the rule that a relative rate ("percent_of_commission") needs a level below it to be relative to.
 */
import { z } from "zod";
import { ROUNDING_MODES } from "../money";
import type { PlanComponent } from "./plan-schema";
import { moneyAmountSchema, percentTextSchema, ruleIdSchema } from "./schema-atoms";

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

/**
 * More than one period schedule in one plan (e.g. a weekly fast start beside the monthly rest): each entry is
 * a schedule of its own, with its own minimum payout, that pays out the components it lists. Every component
 * it does not list belongs to the plan's main `period`. Balances below a schedule's minimum wait for the next
 * period of the same schedule: the two schedules' balances are never combined. Ranks (and the rank advancement
 * that reads them) are qualified by the main schedule only.
 */
export const additionalSchedulesSchema = z
  .array(
    z.strictObject({
      schedule: z.enum(["weekly", "monthly"], { error: 'must be "weekly" or "monthly"' }),
      minimumPayout: moneyAmountSchema.optional(),
      components: z.array(ruleIdSchema).min(1, { error: "must name at least one component" }),
    }),
  )
  .min(1, { error: "must list at least one schedule" })
  .max(1, { error: "at most one schedule besides the main period" });

export type AdditionalSchedule = z.infer<typeof additionalSchedulesSchema>[number];

export function checkAdditionalSchedules(rules: {
  readonly components: readonly PlanComponent[];
  readonly period?: { readonly schedule: string } | undefined;
  readonly additionalSchedules?: readonly AdditionalSchedule[] | undefined;
}): CapabilityIssue[] {
  const issues: CapabilityIssue[] = [];
  if (!rules.additionalSchedules) return issues;
  if (!rules.period) issues.push({ path: ["period"], message: "is required with additionalSchedules: it is the schedule of every other component" });
  const types = new Map(rules.components.map((component) => [component.id, component.type]));
  const listed = new Set<string>();
  rules.additionalSchedules.forEach((entry, index) => {
    if (entry.schedule === rules.period?.schedule) {
      issues.push({ path: ["additionalSchedules", index, "schedule"], message: `is already the main period's schedule` });
    }
    entry.components.forEach((id, c) => {
      const at = ["additionalSchedules", index, "components", c];
      const type = types.get(id);
      if (type === undefined) issues.push({ path: at, message: `"${id}" is not a component of this plan` });
      else if (type === "rank" || type === "rank_advancement")
        issues.push({ path: at, message: `"${id}" is a ${type} component: ranks belong to the main period` });
      if (listed.has(id)) issues.push({ path: at, message: `"${id}" is listed twice` });
      listed.add(id);
    });
  });
  return issues;
}

/**
 * A paycut: when a period's commissions (per-order earnings net of reversals, plus the close's own lines)
 * exceed `maxPercent` of the period's commissionable sales, everyone's are cut by the excess, in proportion to
 * what each earned (app/domain/periods/paycut.ts), and the cut is posted as negative period lines.
 */
export const paycutSchema = z.strictObject({ maxPercent: percentTextSchema });
