import { describe, expect, it } from "vitest";
import { onboardingChecklist, type OnboardingFacts } from "./checklist";

const NOTHING: OnboardingFacts = {
  publishedPlanVersions: 0,
  commissionClasses: 0,
  defaultClass: false,
  skuMappings: 0,
  referralSeen: false,
  affiliateEnrolled: false,
  payoutSettingsSaved: false,
  payoutMethods: 0,
};

describe("onboardingChecklist", () => {
  it("a new shop has every step open, in the order a merchant does them", () => {
    const list = onboardingChecklist(NOTHING);
    expect(list.steps.map((step) => [step.id, step.done])).toEqual([
      ["plan", false],
      ["classes", false],
      ["theme_embed", false],
      ["first_affiliate", false],
      ["payouts", false],
    ]);
    expect(list).toMatchObject({ done: 0, total: 5, complete: false });
    expect(list.steps[0]!.status).toBe("No plan published: no order earns anything yet");
  });

  it("each fact closes its own step and says what is there", () => {
    const list = onboardingChecklist({
      ...NOTHING,
      publishedPlanVersions: 2,
      commissionClasses: 1,
      defaultClass: true,
      skuMappings: 3,
      affiliateEnrolled: true,
    });
    expect(list.steps.filter((step) => step.done).map((step) => step.id)).toEqual(["plan", "classes", "first_affiliate"]);
    expect(list.steps.map((step) => step.status)).toEqual([
      "2 versions published",
      "1 class, 3 SKU mappings",
      "No referral has reached an order yet",
      "Affiliates enrolled, each with a referral link",
      "No payout rules or methods yet",
    ]);
    expect(list.done).toBe(3);
  });

  it("a referral seen closes the embed step; a payout method alone sets payouts up", () => {
    const list = onboardingChecklist({ ...NOTHING, referralSeen: true, payoutMethods: 2 });
    expect(list.steps.find((step) => step.id === "theme_embed")).toMatchObject({ done: true, status: "Referral codes reach orders" });
    expect(list.steps.find((step) => step.id === "payouts")).toMatchObject({ done: true, status: "Payout rules saved, 2 payout methods set" });
  });

  it("classes without a default one leave the step open: orders would not be evaluated", () => {
    const step = onboardingChecklist({ ...NOTHING, commissionClasses: 2 }).steps[1]!;
    expect(step).toMatchObject({ done: false, status: "No default class: orders are not evaluated until one class is the default" });
  });

  it("is complete only when all five are done", () => {
    const all = {
      publishedPlanVersions: 1,
      commissionClasses: 1,
      defaultClass: true,
      skuMappings: 0,
      referralSeen: true,
      affiliateEnrolled: true,
      payoutSettingsSaved: true,
      payoutMethods: 0,
    };
    expect(onboardingChecklist(all)).toMatchObject({ done: 5, complete: true });
    expect(onboardingChecklist({ ...all, affiliateEnrolled: false })).toMatchObject({ done: 4, complete: false });
  });
});
