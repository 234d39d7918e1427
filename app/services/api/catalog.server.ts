/**
 * /api/v1/commission-classes and /api/v1/sku-mappings: the catalog side of a plan (which class each product
 * pays on), over the setup services the admin and the seeds use (createCommissionClass, mapSku, unmapSku), each
 * of which writes its audit row. Classes are keyed by the id plans pay on; posting an existing key renames it.
 */
import { z } from "zod";
import type { Db } from "~/db.server";
import { volumeRuleSchema } from "~/domain/engine";
import { classIdSchema } from "~/domain/engine/plan-schema";
import { PLATFORMS } from "~/domain/platforms/normalized";
import { createCommissionClass, mapSku, unmapSku } from "~/services/commissions/setup.server";
import type { StoredResponse } from "./idempotency.server";
import { asStored, fieldProblem, notFoundProblem, parseBody, parseQueryParams } from "./stored.server";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---- commission classes -------------------------------------------------------------------------------------

export const commissionClassBody = z.strictObject({
  key: classIdSchema,
  name: z.string().trim().min(1).max(200),
  /** Personal volume per line; default: the net amount in major units ("share_of_net" 100). */
  pv: volumeRuleSchema.optional(),
  /** Commissionable volume per line; same default. */
  cv: volumeRuleSchema.optional(),
  /** Make it the class of every line no mapping matches (the previous default stops being one). */
  is_default: z.boolean().optional(),
});

interface ClassRow {
  key: string;
  name: string;
  pv: unknown;
  cv: unknown;
  isDefault: boolean;
  _count: { mappings: number };
}

const CLASS_SELECT = { key: true, name: true, pv: true, cv: true, isDefault: true, _count: { select: { mappings: true } } } as const;

function classJson(row: ClassRow) {
  return { key: row.key, name: row.name, pv: row.pv, cv: row.cv, is_default: row.isDefault, sku_mappings: row._count.mappings };
}

export async function listCommissionClasses(db: Db, shopId: string) {
  const rows = await db.commissionClass.findMany({ where: { shopId }, orderBy: { key: "asc" }, select: CLASS_SELECT });
  return { items: rows.map(classJson) };
}

export function saveCommissionClassRequest(db: Db, shopId: string, tokenId: string, body: unknown): Promise<StoredResponse> {
  return asStored(async () => {
    const input = parseBody(commissionClassBody, body, "The commission class has invalid or missing fields.");
    const existed = (await db.commissionClass.count({ where: { shopId, key: input.key } })) > 0;
    await createCommissionClass(
      db,
      shopId,
      {
        key: input.key,
        name: input.name,
        ...(input.pv ? { pv: input.pv } : {}),
        ...(input.cv ? { cv: input.cv } : {}),
        ...(input.is_default ? { isDefault: true } : {}),
      },
      `api:${tokenId}`,
    );
    const row = await db.commissionClass.findUniqueOrThrow({ where: { shopId_key: { shopId, key: input.key } }, select: CLASS_SELECT });
    return { status: existed ? 200 : 201, body: { commission_class: classJson(row), created: !existed } };
  });
}

// ---- SKU mappings -------------------------------------------------------------------------------------------

export const skuMappingBody = z
  .strictObject({
    platform: z.enum(PLATFORMS),
    sku: z.string().trim().min(1).max(255).optional(),
    /** More specific than a SKU: a mapping by variant id wins over one by SKU. */
    variant_id: z.string().trim().min(1).max(255).optional(),
    /** The class key. */
    class: classIdSchema,
  })
  .refine((body) => body.sku !== undefined || body.variant_id !== undefined, { error: "give sku, variant_id, or both", path: ["sku"] });

export const skuMappingListQuery = z.object({
  platform: z.enum(PLATFORMS).optional(),
  class: classIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** The last id of the previous page (`next_after`). */
  after: z.uuid().optional(),
});

interface MappingRow {
  id: string;
  platform: string;
  platformSku: string | null;
  platformVariantId: string | null;
  createdAt: Date;
  commissionClass: { key: string };
}

const MAPPING_INCLUDE = { commissionClass: { select: { key: true } } } as const;

function mappingJson(row: MappingRow) {
  return {
    id: row.id,
    platform: row.platform,
    sku: row.platformSku,
    variant_id: row.platformVariantId,
    class: row.commissionClass.key,
    created_at: row.createdAt.toISOString(),
  };
}

export async function listSkuMappings(db: Db, shopId: string, params: URLSearchParams) {
  const query = parseQueryParams(skuMappingListQuery, params);
  const rows = await db.skuMapping.findMany({
    where: {
      shopId,
      ...(query.platform ? { platform: query.platform } : {}),
      ...(query.class ? { commissionClass: { key: query.class } } : {}),
      ...(query.after ? { id: { gt: query.after } } : {}),
    },
    orderBy: { id: "asc" },
    take: query.limit + 1,
    include: MAPPING_INCLUDE,
  });
  const page = rows.slice(0, query.limit);
  return { items: page.map(mappingJson), next_after: rows.length > query.limit ? page.at(-1)!.id : null };
}

export function saveSkuMappingRequest(db: Db, shopId: string, tokenId: string, body: unknown): Promise<StoredResponse> {
  return asStored(async () => {
    const input = parseBody(skuMappingBody, body, "The SKU mapping has invalid or missing fields.");
    const known = await db.commissionClass.count({ where: { shopId, key: input.class } });
    if (known === 0) throw fieldProblem(["class"], `no commission class "${input.class}" in this shop; create it first`, "The class is unknown.");
    const saved = await mapSku(
      db,
      shopId,
      { platform: input.platform, sku: input.sku ?? null, variantId: input.variant_id ?? null, classKey: input.class },
      `api:${tokenId}`,
    );
    const row = await db.skuMapping.findUniqueOrThrow({ where: { id: saved.id }, include: MAPPING_INCLUDE });
    return { status: 200, body: { sku_mapping: mappingJson(row) } };
  });
}

export function deleteSkuMappingRequest(db: Db, shopId: string, tokenId: string, id: string | undefined): Promise<StoredResponse> {
  return asStored(async () => {
    if (!id || !UUID.test(id) || !(await unmapSku(db, shopId, id, `api:${tokenId}`))) throw notFoundProblem(`No SKU mapping ${id ?? ""}.`);
    return { status: 200, body: { deleted: true, id } };
  });
}
