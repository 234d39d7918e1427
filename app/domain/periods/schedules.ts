/**
 * Which part of a plan one period's close pays (plan rules `additionalSchedules`, plan-capabilities.ts): a
 * period of an additional schedule pays out only the components that schedule lists, with its own minimum
 * payout; a period of the main schedule pays every other component with `period.minimumPayout`. Per-order
 * earnings are split the same way, by the rule that earned them, so a weekly balance and a monthly balance
 * are never added up.
 */
import type { PlanRules } from "../engine";

export interface ScheduleScope {
  /** Whether this schedule is the plan's main `period` (the one that qualifies and writes ranks). */
  readonly isMain: boolean;
  readonly owns: (ruleId: string) => boolean;
  readonly minimumPayout: { readonly amountMinor: string; readonly currency: string } | undefined;
}

export function scheduleScope(rules: PlanRules, schedule: string): ScheduleScope | null {
  const additional = rules.additionalSchedules ?? [];
  const entry = additional.find((candidate) => candidate.schedule === schedule);
  if (entry) {
    const listed = new Set(entry.components);
    return { isMain: false, owns: (ruleId) => listed.has(ruleId), minimumPayout: entry.minimumPayout };
  }
  if (rules.period !== undefined && rules.period.schedule !== schedule) return null;
  const elsewhere = new Set(additional.flatMap((candidate) => candidate.components));
  return { isMain: true, owns: (ruleId) => !elsewhere.has(ruleId), minimumPayout: rules.period?.minimumPayout };
}
