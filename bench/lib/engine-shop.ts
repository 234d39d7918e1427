/**
 * The engine benchmark's shop, built through the product paths, and its orders: shared by bench/engine.ts (end
 * to end) and bench/lib/worker-path.ts (the worker's apply path alone).
 */
import type { Db } from "~/db.server";
import { parseJsonLossless } from "~/domain/platforms/json";
import { fixtureText } from "~test/support/platforms/fixtures";
import { record, records } from "~test/support/platforms/json-edit";
import { createCommissionClass, mapSku, publishPlanVersion } from "~/services/commissions/setup.server";
import { enrollDistributor } from "~/services/genealogy/enroll.server";
import { seededRandomBytes } from "~/domain/genealogy/referral-code";
import { ensureShopifyShop } from "~/services/shops.server";

export const LEVELS = 10;
export const LINES = 5;
export const SHOP = "engine-bench.myshopify.com";

export interface Seeded {
  readonly leafCodes: readonly string[];
}

/**
 * Through the product paths: two classes, SKU mappings, a 10-level unilevel with dynamic compression, and a
 * tree of a 14-deep sponsor line (every fourth member inactive) with 40 leaves under its deepest member.
 */
export async function seed(db: Db): Promise<Seeded> {
  const shop = await ensureShopifyShop(db, SHOP);
  await createCommissionClass(db, shop.id, { key: "standard", name: "Standard", isDefault: true });
  await createCommissionClass(db, shop.id, { key: "kits", name: "Kits", pv: { kind: "per_unit", points: "50" }, cv: { kind: "per_unit", points: "25" } });
  for (let k = 0; k < LINES; k++) await mapSku(db, shop.id, { platform: "shopify", sku: `BENCH-SKU-${k}`, classKey: k === LINES - 1 ? "kits" : "standard" });
  const percents = ["10", "7.5", "5", "4", "3", "2.5", "2", "1.5", "1", "0.5"];
  await publishPlanVersion(
    db,
    shop.id,
    {
      schemaVersion: 1,
      components: [
        {
          type: "unilevel",
          id: "unilevel",
          maxDepth: LEVELS,
          compression: "dynamic",
          rates: {
            standard: percents.map((percent) => ({ kind: "percent", percent })),
            kits: percents.map(() => ({ kind: "fixed_per_unit", amountMinor: "150", currency: "USD" })),
          },
        },
      ],
    },
    "2020-01-01T00:00:00Z",
    "bench",
  );
  let sponsor: string | null = null;
  for (let depth = 0; depth < LEVELS + 4; depth++) {
    const enrolled = await enrollDistributor(db, shop.id, {
      code: `LINE${depth}`,
      sponsorCode: sponsor,
      enrolledAt: "2020-01-01T00:00:00Z",
      status: depth % 4 === 3 ? "inactive" : "active",
    });
    sponsor = enrolled.code;
  }
  const leafCodes: string[] = [];
  const random = seededRandomBytes(4);
  for (let leaf = 0; leaf < 40; leaf++) {
    leafCodes.push((await enrollDistributor(db, shop.id, { sponsorCode: sponsor, enrolledAt: "2020-01-01T00:00:00Z", random })).code);
  }
  return { leafCodes };
}

const fixture = record(parseJsonLossless(fixtureText("shopify", "orders_create.sample.trigger-dev.json")));
const fixtureLine = records(fixture.line_items)[0]!;

/** A paid 5-line Shopify order (two lines discounted), placed now, carrying a leaf's referral code. */
export function orderBody(orderId: string, referralCode: string): string {
  const now = new Date().toISOString();
  const money = (amount: string) => ({ shop_money: { amount, currency_code: "USD" }, presentment_money: { amount, currency_code: "USD" } });
  const lines = Array.from({ length: LINES }, (_, k) => {
    const id = `${orderId}${k}`;
    const price = (19.99 + k * 5).toFixed(2);
    const discount = k % 2 === 1 ? "1.23" : null;
    return {
      ...fixtureLine,
      id,
      admin_graphql_api_id: `gid://shopify/LineItem/${id}`,
      sku: `BENCH-SKU-${k}`,
      variant_id: 4_000 + k,
      quantity: k + 1,
      price,
      price_set: money(price),
      discount_allocations: discount ? [{ amount: discount, discount_application_index: 0, amount_set: money(discount) }] : [],
    };
  });
  return JSON.stringify({
    ...fixture,
    id: orderId,
    admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
    name: `#${orderId}`,
    created_at: now,
    updated_at: now,
    cancelled_at: null,
    cancel_reason: null,
    financial_status: "paid",
    note_attributes: [{ name: "upline_ref", value: referralCode }],
    line_items: lines,
  });
}
