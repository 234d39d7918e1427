/**
 * The shop's commission catalog for one order: every class (a shop has a handful) and only the SKU mappings
 * that can match the order's lines on its platform, which keeps the engine's scan and the snapshot short.
 */
import { commissionClassSchema, type CommissionCatalog, type CommissionClass, type EngineOrderLine } from "~/domain/engine";
import type { Platform } from "~/domain/platforms/normalized";

export interface ClassRow {
  readonly key: string;
  readonly name: string;
  readonly pv: unknown;
  readonly cv: unknown;
  readonly isDefault: boolean;
}

export interface MappingRow {
  readonly platform: Platform;
  readonly platformSku: string | null;
  readonly platformVariantId: string | null;
  readonly classKey: string;
}

/** SkuMapping.matchKey values that can match these lines: each variant id and each SKU. */
export function matchKeysOf(lines: readonly Pick<EngineOrderLine, "sku" | "platformVariantId">[]): string[] {
  const keys = new Set<string>();
  for (const line of lines) {
    if (line.platformVariantId) keys.add(`variant:${line.platformVariantId}`);
    if (line.sku) keys.add(`sku:${line.sku}`);
  }
  return [...keys];
}

// Classes were validated when saved; they are parsed again (so the snapshot holds exactly the engine's shape),
// once per distinct stored row rather than once per order.
const parsedClasses = new Map<string, CommissionClass>();
const CLASS_CACHE_LIMIT = 1_024;

function parseClass(row: ClassRow): CommissionClass {
  const identity = JSON.stringify([row.key, row.name, row.pv, row.cv]);
  let parsed = parsedClasses.get(identity);
  if (!parsed) {
    parsed = commissionClassSchema.parse({ id: row.key, name: row.name, pv: row.pv, cv: row.cv });
    if (parsedClasses.size >= CLASS_CACHE_LIMIT) parsedClasses.clear();
    parsedClasses.set(identity, parsed);
  }
  return parsed;
}

/** Null when the shop has no default class yet: unmapped lines would have nowhere to go. */
export function catalogFrom(classes: readonly ClassRow[], mappings: readonly MappingRow[]): CommissionCatalog | null {
  const defaultClass = classes.find((row) => row.isDefault);
  if (!defaultClass) return null;
  return {
    defaultClassId: defaultClass.key,
    classes: classes.map(parseClass),
    mappings: mappings.map((row) => ({
      platform: row.platform,
      platformSku: row.platformSku,
      platformVariantId: row.platformVariantId,
      classId: row.classKey,
    })),
  };
}
