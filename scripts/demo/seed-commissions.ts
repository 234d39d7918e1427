import type { Db } from "~/db.server";
import { createCommissionClass, mapSku, publishPlanVersion, updateCommissionSettings } from "~/services/commissions/setup.server";
import { enrollDistributor } from "~/services/genealogy/enroll.server";

/**
 * The demo's comp plan and genealogy, built through the product's own services: three commission classes with
 * SKU mappings on all three platforms, a 5-level unilevel with dynamic compression, and a few hundred
 * distributors in a random (but repeatable) tree, some inactive, with the sample orders' referrers deep in it.
 */

export const DEMO_REFERRERS = ["JANE01", "OMAR22", "LI-MEI"] as const;

const PLAN = {
  schemaVersion: 1,
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
  ],
};

/** A small linear congruential generator: the same tree on every run, with no dependency. */
function seededRandom(seed: number) {
  let state = seed >>> 0;
  return (below: number) => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state % below;
  };
}

export async function seedCommissionSetup(db: Db, shopId: string, distributors: number, onProgress: (done: number) => void) {
  await updateCommissionSettings(db, shopId, { refundWindowDays: 30 }, "demo");
  await createCommissionClass(db, shopId, { key: "general", name: "General merchandise", isDefault: true }, "demo");
  await createCommissionClass(db, shopId, { key: "nutrition", name: "Nutrition" }, "demo");
  await createCommissionClass(db, shopId, { key: "apparel", name: "Apparel" }, "demo");
  for (const platform of ["shopify", "woocommerce", "magento"] as const) {
    await mapSku(db, shopId, { platform, sku: "UPL-SHAKE-VAN", classKey: "nutrition" }, "demo");
    await mapSku(db, shopId, { platform, sku: "UPL-HOODIE-S", classKey: "apparel" }, "demo");
  }
  await publishPlanVersion(db, shopId, PLAN, "2026-01-01T00:00:00Z", "demo");

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
