/**
 * Worked example for more than one period schedule in one plan (issue 11): a weekly bonus beside the monthly
 * rest, each with its own minimum payout, whose balances are never combined.
 */
import { describe, expect, it } from "vitest";
import { validatePlanRules } from "../engine";
import { periodContaining } from "./calendar";
import { closePeriod } from "./close";
import { PeriodInputError } from "./errors";
import { closeInput, periodPlan, tree } from "~test/support/periods";
import type { PeriodCloseInput } from "./types";

const TREE = tree({ ROOT: {}, JANE: { sponsor: "ROOT" } });
const unilevel = (id: string, percent: string) => ({
  type: "unilevel",
  id,
  maxDepth: 1,
  compression: "dynamic",
  rates: { standard: [{ kind: "percent", percent }] },
});
// Monthly: everything else, paid from 50.00; weekly: the "weekly" unilevel, paid from 30.00.
const plan = periodPlan([unilevel("monthly-uni", "10"), unilevel("weekly-uni", "5")], {
  period: { schedule: "monthly", minimumPayout: { amountMinor: "5000", currency: "USD" } },
  additionalSchedules: [{ schedule: "weekly", minimumPayout: { amountMinor: "3000", currency: "USD" }, components: ["weekly-uni"] }],
});
const earnings = (monthly: number, weekly: number): PeriodCloseInput["earnings"] => [
  { distributorId: "JANE", rule: "monthly-uni", amountMinor: BigInt(monthly), currency: "USD" },
  { distributorId: "JANE", rule: "weekly-uni", amountMinor: BigInt(weekly), currency: "USD" },
];
const WEEK_10 = periodContaining("weekly", "2026-03-05T00:00:00Z");

describe("a weekly schedule beside the monthly one", () => {
  // One 398.00 order in week 10: 39.80 monthly and 19.90 weekly. 59.70 together would clear either minimum,
  // but each schedule sees only its own: weekly 19.90 < 30.00 and monthly 39.80 < 50.00, both deferred.
  it("decides each schedule's payouts on its own components and minimum, never on the sum", () => {
    const week = closePeriod(closeInput({ period: WEEK_10, planVersion: plan, distributors: TREE, earnings: earnings(3_980, 1_990) }));
    expect(week.payouts).toEqual([
      { distributorId: "JANE", earnedMinor: 1_990n, carriedInMinor: 0n, payableMinor: 1_990n, paidMinor: 0n, carriedOutMinor: 1_990n, decision: "defer" },
    ]);
    const month = closePeriod(closeInput({ planVersion: plan, distributors: TREE, earnings: earnings(3_980, 1_990) }));
    expect(month.payouts).toEqual([
      { distributorId: "JANE", earnedMinor: 3_980n, carriedInMinor: 0n, payableMinor: 3_980n, paidMinor: 0n, carriedOutMinor: 3_980n, decision: "defer" },
    ]);
  });

  // Week 11 brings another 19.90: with the 19.90 deferred by week 10 it is 39.80 ≥ 30.00, paid. The monthly
  // deferral is not added to it.
  it("carries a deferred balance to the next period of the same schedule only", () => {
    const week10 = closePeriod(closeInput({ period: WEEK_10, planVersion: plan, distributors: TREE, earnings: earnings(3_980, 1_990) }));
    const week11 = closePeriod(
      closeInput({
        period: periodContaining("weekly", "2026-03-10T00:00:00Z"),
        planVersion: plan,
        distributors: TREE,
        earnings: earnings(3_980, 1_990),
        deferredPayouts: week10.carry.deferredPayouts,
      }),
    );
    // Only the weekly deferral (19.90) is carried in, never the monthly one (39.80).
    expect(week11.payouts).toEqual([
      { distributorId: "JANE", earnedMinor: 1_990n, carriedInMinor: 1_990n, payableMinor: 3_980n, paidMinor: 3_980n, carriedOutMinor: 0n, decision: "pay" },
    ]);
  });

  it("refuses a schedule the plan does not have, and checks the schedules' references", () => {
    const daily = { ...WEEK_10, schedule: "weekly" as const };
    const monthlyOnly = periodPlan([unilevel("uni", "10")]);
    expect(() => closePeriod(closeInput({ period: daily, planVersion: monthlyOnly, distributors: TREE }))).toThrow(PeriodInputError);
    const bad = validatePlanRules({
      schemaVersion: 1,
      period: { schedule: "monthly" },
      additionalSchedules: [{ schedule: "monthly", components: ["nope"] }],
      components: [unilevel("uni", "10")],
    });
    expect(bad).toMatchObject({
      ok: false,
      issues: [
        { path: "additionalSchedules[0].schedule", message: "is already the main period's schedule" },
        { path: "additionalSchedules[0].components[0]", message: '"nope" is not a component of this plan' },
      ],
    });
  });
});
