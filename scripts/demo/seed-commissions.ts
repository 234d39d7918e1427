import type { Db } from "~/db.server";
import { createCommissionClass, mapSku, publishPlanVersion, updateCommissionSettings } from "~/services/commissions/setup.server";
import { enrollDistributor } from "~/services/genealogy/enroll.server";
import { updateGenealogySettings } from "~/services/genealogy/settings.server";

/**
 * The demo's comp plan and genealogy, built through the product's own services: three commission classes with
 * SKU mappings on all three platforms, a plan combining unilevel, binary, ranks, matching and rank bonuses, and a
 * few hundred distributors in a random (but repeatable) sponsor tree, placed in a binary tree as they enroll,
 * some inactive, with the sample orders' referrers deep in it.
 */

export const DEMO_REFERRERS = ["JANE01", "OMAR22", "LI-MEI"] as const;
export const DEMO_PERIOD_START = "2026-10-01T00:00:00Z";

/**
 * One plan version combining the types direct-selling companies run: a 5-level unilevel paid per order, and,
 * at each monthly close, binary pairing on the placement tree (carry-over capped, earnings capped), ranks by
 * personal and group volume with a leg cap, a two-generation match on binary earnings, and a one-time bonus
 * per rank reached. Volumes are one point per dollar of net sales (the classes' default).
 */
const planIn = (currency: string) => ({
  schemaVersion: 1,
  period: { schedule: "monthly", minimumPayout: { amountMinor: "1000", currency } },
  components: [
    {
      type: "unilevel",
      id: "unilevel",
      maxDepth: 5,
      compression: "dynamic",
      rates: {
        nutrition: ["10", "5", "3", "2", "1"].map((percent) => ({ kind: "percent", percent })),
        apparel: ["6", "3", "2", "1", "1"].map((percent) => ({ kind: "percent", percent })),
        general: ["4", "2", "1", "1", "0.5"].map((percent) => ({ kind: "percent", percent })),
      },
    },
    {
      type: "binary",
      id: "binary",
      volume: "pv",
      pairVolume: "100",
      payout: { kind: "percent_of_pair_volume", percent: "10" },
      firstPair: "1:1",
      carry: { mode: "carry", maxPoints: "5000" },
      capPerPeriod: { amountMinor: "50000", currency },
    },
    {
      type: "rank",
      id: "ranks",
      volume: "pv",
      activeLegMinPersonalVolume: "50",
      ranks: [
        { id: "bronze", personalVolume: "100", groupVolume: "0", activeLegs: 0 },
        { id: "silver", personalVolume: "100", groupVolume: "500", maxLegPercent: "60", activeLegs: 1 },
        { id: "gold", personalVolume: "100", groupVolume: "1500", maxLegPercent: "40", activeLegs: 2 },
      ],
    },
    { type: "matching", id: "matching", matches: ["binary"], compression: "dynamic", generations: [{ percent: "10" }, { percent: "5", minRank: "silver" }] },
    { type: "rank_advancement", id: "rank-bonus", currency, bonuses: { silver: "2500", gold: "10000" } },
  ],
});

/** A small linear congruential generator: the same tree on every run, with no dependency. */
function seededRandom(seed: number) {
  let state = seed >>> 0;
  return (below: number) => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state % below;
  };
}

/** `currency`: the shop's, which every amount of the plan is in (a plan amount in another currency is not paid). */
export async function seedCommissionSetup(db: Db, shopId: string, distributors: number, onProgress: (done: number) => void, currency = "USD") {
  await updateCommissionSettings(db, shopId, { refundWindowDays: 30 }, "demo");
  await createCommissionClass(db, shopId, { key: "general", name: "General merchandise", isDefault: true }, "demo");
  await createCommissionClass(db, shopId, { key: "nutrition", name: "Nutrition" }, "demo");
  await createCommissionClass(db, shopId, { key: "apparel", name: "Apparel" }, "demo");
  for (const platform of ["shopify", "woocommerce", "magento"] as const) {
    await mapSku(db, shopId, { platform, sku: "UPL-SHAKE-VAN", classKey: "nutrition" }, "demo");
    await mapSku(db, shopId, { platform, sku: "UPL-HOODIE-S", classKey: "apparel" }, "demo");
  }
  // In force from October: the demo's orders are October's, and October is the period the demo closes.
  await publishPlanVersion(db, shopId, planIn(currency), DEMO_PERIOD_START, "demo");
  // A binary placement tree (new recruits spill to the weaker leg), and sign-ups without a code join COMPANY.
  await updateGenealogySettings(
    db,
    shopId,
    { placement: { kind: "binary", spillover: { kind: "weaker-leg", tieBreak: "left" } }, defaultSponsor: "COMPANY" },
    "demo",
  );

  const random = seededRandom(20261123);
  const ids: string[] = [];
  const root = await enrollDistributor(db, shopId, { code: "COMPANY", name: "Company", enrolledAt: "2025-12-01T00:00:00Z", actor: "demo" });
  ids.push(root.id);
  const start = Date.parse("2026-01-02T00:00:00Z");
  for (let i = 1; i < distributors; i++) {
    // Sponsors are drawn from the most recent recruits more often than the old ones: trees grow deep, not flat.
    const pool = Math.min(ids.length, 1 + random(40));
    const sponsorId = ids[ids.length - 1 - random(pool)]!;
    const referrerIndex = i - (distributors - DEMO_REFERRERS.length);
    const enrolled = await enrollDistributor(db, shopId, {
      code: referrerIndex >= 0 ? DEMO_REFERRERS[referrerIndex]! : null,
      sponsorId,
      enrolledAt: new Date(start + i * 3_600_000),
      status: random(10) === 0 ? "inactive" : "active",
      actor: "demo",
    });
    ids.push(enrolled.id);
    if (i % 25 === 0) onProgress(i + 1);
  }
  onProgress(distributors);
}
