/**
 * SKU → commission class resolution (pure). A line is matched on its platform by variant id first (the most
 * specific id a platform gives), then by SKU. A line that matches nothing falls back to the shop's default class
 * and is reported as `unmapped` so the merchant sees it: it is never silently skipped.
 */
import type { Platform } from "../platforms/normalized";
import type { CommissionClass, SkuMapping } from "./class-schema";

export type { CommissionClass, SkuMapping, VolumeRule } from "./class-schema";

export interface CommissionCatalog {
  /** Every class a mapping or the default can point at (more is fine). */
  readonly classes: readonly CommissionClass[];
  /**
   * The shop's mappings. Passing only those for the order's SKUs/variants is enough and keeps the scan short;
   * the snapshot keeps just the mappings that matched.
   */
  readonly mappings: readonly SkuMapping[];
  readonly defaultClassId: string;
}

export interface ClassifiableLine {
  readonly sku: string | null;
  readonly platformVariantId: string | null;
}

export type ClassResolution =
  | { readonly classId: string; readonly matchedBy: "variant" | "sku"; readonly mapping: SkuMapping }
  | { readonly classId: string; readonly matchedBy: "default"; readonly mapping: null };

export function resolveCommissionClass(
  line: ClassifiableLine,
  platform: Platform,
  catalog: Pick<CommissionCatalog, "mappings" | "defaultClassId">,
): ClassResolution {
  let bySku: SkuMapping | null = null;
  for (const mapping of catalog.mappings) {
    if (mapping.platform !== platform) continue;
    if (line.platformVariantId !== null && mapping.platformVariantId === line.platformVariantId) {
      return { classId: mapping.classId, matchedBy: "variant", mapping };
    }
    // A mapping pinned to a variant applies to that variant only (matched above), even if it also names a SKU.
    if (bySku === null && line.sku !== null && mapping.platformSku === line.sku && mapping.platformVariantId === null) {
      bySku = mapping;
    }
  }
  if (bySku !== null) return { classId: bySku.classId, matchedBy: "sku", mapping: bySku };
  return { classId: catalog.defaultClassId, matchedBy: "default", mapping: null };
}
