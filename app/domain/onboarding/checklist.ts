/**
 * The dashboard's first-run checklist: what a new merchant still has to do before referrals pay, read from the
 * state of the shop (never from a "step done" flag the merchant ticks), so it can never say "done" while the
 * program is not running, and it updates itself when something is undone (the last class deleted, …).
 */

/** Facts the service counts for one shop. */
export interface OnboardingFacts {
  readonly publishedPlanVersions: number;
  readonly commissionClasses: number;
  /** Orders are not evaluated at all without a default class (outcome no_catalog). */
  readonly defaultClass: boolean;
  readonly skuMappings: number;
  /** An order arrived carrying a referral code (cart attribute, coupon) or the pixel reported one: the embed works. */
  readonly referralSeen: boolean;
  /** A distributor other than the company node, not redacted: someone has a referral link to share. */
  readonly affiliateEnrolled: boolean;
  readonly payoutSettingsSaved: boolean;
  readonly payoutMethods: number;
}

export type OnboardingStepId = "plan" | "classes" | "theme_embed" | "first_affiliate" | "payouts";

export interface OnboardingStep {
  readonly id: OnboardingStepId;
  readonly done: boolean;
  /** What the state is now, in the merchant's words. */
  readonly status: string;
}

export interface OnboardingChecklist {
  readonly steps: readonly OnboardingStep[];
  readonly done: number;
  readonly total: number;
  readonly complete: boolean;
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

export function onboardingChecklist(facts: OnboardingFacts): OnboardingChecklist {
  const steps: OnboardingStep[] = [
    {
      id: "plan",
      done: facts.publishedPlanVersions > 0,
      status:
        facts.publishedPlanVersions > 0 ? `${plural(facts.publishedPlanVersions, "version")} published` : "No plan published: no order earns anything yet",
    },
    {
      id: "classes",
      // One default class is enough: SKUs without a mapping fall into it. Without one no order is evaluated.
      done: facts.defaultClass,
      status: facts.defaultClass
        ? `${plural(facts.commissionClasses, "class", "classes")}, ${plural(facts.skuMappings, "SKU mapping")}`
        : facts.commissionClasses > 0
          ? "No default class: orders are not evaluated until one class is the default"
          : "No commission class: orders are not evaluated yet",
    },
    {
      id: "theme_embed",
      done: facts.referralSeen,
      status: facts.referralSeen ? "Referral codes reach orders" : "No referral has reached an order yet",
    },
    {
      id: "first_affiliate",
      done: facts.affiliateEnrolled,
      status: facts.affiliateEnrolled ? "Affiliates enrolled, each with a referral link" : "No affiliate yet",
    },
    {
      id: "payouts",
      done: facts.payoutSettingsSaved || facts.payoutMethods > 0,
      status:
        facts.payoutSettingsSaved || facts.payoutMethods > 0
          ? `Payout rules saved${facts.payoutMethods > 0 ? `, ${plural(facts.payoutMethods, "payout method")} set` : ""}`
          : "No payout rules or methods yet",
    },
  ];
  const done = steps.filter((step) => step.done).length;
  return { steps, done, total: steps.length, complete: done === steps.length };
}
