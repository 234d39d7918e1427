import { describe, expect, it } from "vitest";
import { commissionClassSchema, skuMappingSchema } from "./class-schema";
import { resolveCommissionClass, type CommissionCatalog } from "./classes";

const catalog: Pick<CommissionCatalog, "mappings" | "defaultClassId"> = {
  defaultClassId: "standard",
  mappings: [
    { platform: "shopify", platformSku: "KIT", platformVariantId: null, classId: "kits" },
    { platform: "shopify", platformSku: null, platformVariantId: "v-9", classId: "promo" },
    { platform: "shopify", platformSku: "SHARED", platformVariantId: "v-1", classId: "pinned" },
    { platform: "woocommerce", platformSku: "WOO-ONLY", platformVariantId: null, classId: "kits" },
  ],
};

describe("resolveCommissionClass", () => {
  it.each([
    ["a SKU mapping", { sku: "KIT", platformVariantId: "v-2" }, "kits", "sku"],
    ["a variant id before a SKU", { sku: "KIT", platformVariantId: "v-9" }, "promo", "variant"],
    ["a mapping pinned to its variant", { sku: "SHARED", platformVariantId: "v-1" }, "pinned", "variant"],
    ["not a mapping pinned to another variant", { sku: "SHARED", platformVariantId: "v-2" }, "standard", "default"],
    ["not another platform's mapping", { sku: "WOO-ONLY", platformVariantId: null }, "standard", "default"],
    ["the default for a line without ids", { sku: null, platformVariantId: null }, "standard", "default"],
  ])("uses %s", (_name, line, classId, matchedBy) => {
    expect(resolveCommissionClass(line, "shopify", catalog)).toMatchObject({ classId, matchedBy });
  });
});

describe("class schemas", () => {
  it("validate volumes as exact decimals and mappings that name at least one id", () => {
    expect(
      commissionClassSchema.safeParse({ id: "std", name: "Std", pv: { kind: "per_unit", points: "22.5" }, cv: { kind: "share_of_net", percent: "80" } })
        .success,
    ).toBe(true);
    expect(
      commissionClassSchema.safeParse({ id: "std", name: "Std", pv: { kind: "per_unit", points: 22.5 }, cv: { kind: "share_of_net", percent: "80" } }).success,
    ).toBe(false);
    const mapping = skuMappingSchema.safeParse({ platform: "shopify", platformSku: null, platformVariantId: null, classId: "std" });
    expect(mapping.error?.issues[0]).toMatchObject({ path: ["platformSku"], message: "needs a platformSku or a platformVariantId" });
  });
});
