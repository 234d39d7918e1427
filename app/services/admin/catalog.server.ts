/**
 * The admin's Catalog page: commission classes and the SKU → class mapping. Every write goes through the setup
 * services the REST API and the seeds use (createCommissionClass, mapSku, unmapSku), so each is audited the same
 * way; this file only shapes what the page shows and turns its form posts into those calls.
 */
import { z } from "zod";
import type { Db } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { classIdSchema } from "~/domain/engine/plan-schema";
import { PLATFORMS, type Platform } from "~/domain/platforms/normalized";
import { csvLine, parseCsv } from "~/domain/payouts/csv";
import { createCommissionClass, mapSku, unmapSku } from "~/services/commissions/setup.server";
import { searchCatalog } from "~/services/shopify/catalog.server";

/** Orders stored this recently count as "recent" for the unmapped-SKU list. */
const RECENT_DAYS = 90;
const SHOWN_MAPPINGS = 100;
const SHOWN_UNMAPPED = 50;
/** A mapping file larger than this is refused before it is parsed. */
export const MAX_CSV_BYTES = 1_000_000;
export const CSV_HEADER = ["platform", "sku", "variant_id", "class"] as const;

export interface ClassView {
  readonly key: string;
  readonly name: string;
  readonly isDefault: boolean;
  readonly mappings: number;
}

export interface MappingView {
  readonly id: string;
  readonly platform: string;
  readonly sku: string | null;
  readonly variantId: string | null;
  readonly classKey: string;
  readonly title: string | null;
}

export interface SearchHit {
  readonly variantId: string;
  readonly sku: string | null;
  readonly title: string;
  readonly classKey: string | null;
}

export interface UnmappedSku {
  readonly platform: string;
  readonly sku: string;
  readonly title: string;
  readonly lines: number;
  readonly lastSeen: string;
}

export async function catalogOverview(db: Db, shopId: string, search: string) {
  const [classes, mappings, mappingCount, unmapped, hits] = await Promise.all([
    db.commissionClass.findMany({
      where: { shopId },
      orderBy: { key: "asc" },
      select: { key: true, name: true, isDefault: true, _count: { select: { mappings: true } } },
    }),
    db.skuMapping.findMany({
      where: { shopId },
      orderBy: { updatedAt: "desc" },
      take: SHOWN_MAPPINGS,
      select: { id: true, platform: true, platformSku: true, platformVariantId: true, commissionClass: { select: { key: true } } },
    }),
    db.skuMapping.count({ where: { shopId } }),
    unmappedSkus(db, shopId),
    search.trim() === "" ? Promise.resolve([]) : searchHits(db, shopId, search.trim()),
  ]);
  const titles = await variantTitles(
    db,
    shopId,
    mappings.flatMap((m) => (m.platform === "shopify" && m.platformVariantId ? [m.platformVariantId] : [])),
  );
  return {
    search,
    classes: classes.map((c): ClassView => ({ key: c.key, name: c.name, isDefault: c.isDefault, mappings: c._count.mappings })),
    mappings: mappings.map((m): MappingView => ({
      id: m.id,
      platform: m.platform,
      sku: m.platformSku,
      variantId: m.platformVariantId,
      classKey: m.commissionClass.key,
      title: m.platformVariantId ? (titles.get(m.platformVariantId) ?? null) : null,
    })),
    mappingCount,
    unmapped,
    hits,
  };
}

async function variantTitles(db: Db, shopId: string, variantIds: string[]): Promise<Map<string, string>> {
  if (variantIds.length === 0) return new Map();
  const rows = await db.catalogVariant.findMany({
    where: { shopId, platform: "shopify", platformVariantId: { in: variantIds } },
    select: { platformVariantId: true, productTitle: true, variantTitle: true },
  });
  return new Map(rows.map((r) => [r.platformVariantId, variantLabel(r.productTitle, r.variantTitle)]));
}

const variantLabel = (product: string, variant: string) => (variant === "" || variant === "Default Title" ? product : `${product} — ${variant}`);

async function searchHits(db: Db, shopId: string, search: string): Promise<SearchHit[]> {
  const rows = await searchCatalog(db, shopId, search, 25);
  const keys = rows.flatMap((r) => [`variant:${r.platformVariantId}`, ...(r.sku ? [`sku:${r.sku}`] : [])]);
  const mapped = await db.skuMapping.findMany({
    where: { shopId, platform: "shopify", matchKey: { in: keys } },
    select: { matchKey: true, commissionClass: { select: { key: true } } },
  });
  const classOf = new Map(mapped.map((m) => [m.matchKey, m.commissionClass.key]));
  return rows.map((r) => ({
    variantId: r.platformVariantId,
    sku: r.sku,
    title: variantLabel(r.productTitle, r.variantTitle),
    // A variant mapping wins over a SKU mapping, as the engine resolves it.
    classKey: classOf.get(`variant:${r.platformVariantId}`) ?? (r.sku ? (classOf.get(`sku:${r.sku}`) ?? null) : null),
  }));
}

/** SKUs sold in recently stored orders that no mapping (by SKU or by variant) covers: they pay on the default class. */
export function unmappedSkus(db: Db, shopId: string): Promise<UnmappedSku[]> {
  return db.$queryRaw<UnmappedSku[]>(Prisma.sql`
    SELECT o."platform"::text AS "platform", l."sku" AS "sku", min(l."title") AS "title", count(*)::int AS "lines",
      to_char(max(o."orderedAt") AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS "lastSeen"
    FROM "OrderLine" l
    JOIN "Order" o ON o."shopId" = l."shopId" AND o."id" = l."orderId"
    WHERE l."shopId" = ${shopId}::uuid AND l."sku" IS NOT NULL AND l."sku" <> ''
      AND o."createdAt" > now() - make_interval(days => ${RECENT_DAYS})
      AND NOT EXISTS (
        SELECT 1 FROM "SkuMapping" m
        WHERE m."shopId" = l."shopId" AND m."platform" = o."platform"
          AND (m."matchKey" = 'sku:' || l."sku" OR m."matchKey" = 'variant:' || l."platformVariantId"))
    GROUP BY o."platform", l."sku"
    ORDER BY max(o."orderedAt") DESC, l."sku"
    LIMIT ${SHOWN_UNMAPPED}`);
}

/** The whole mapping as CSV (platform, sku, variant_id, class), in the format the import reads. */
export async function* mappingCsv(db: Db, shopId: string): AsyncGenerator<string> {
  yield csvLine([...CSV_HEADER]);
  let after: string | undefined;
  for (;;) {
    const rows = await db.skuMapping.findMany({
      where: { shopId, ...(after ? { id: { gt: after } } : {}) },
      orderBy: { id: "asc" },
      take: 1_000,
      select: { id: true, platform: true, platformSku: true, platformVariantId: true, commissionClass: { select: { key: true } } },
    });
    for (const row of rows) yield csvLine([row.platform, row.platformSku ?? "", row.platformVariantId ?? "", row.commissionClass.key]);
    if (rows.length < 1_000) return;
    after = rows.at(-1)!.id;
  }
}

export type CatalogActionOutcome =
  | { readonly ok: true; readonly message: string }
  | { readonly ok: false; readonly error: string; readonly fieldErrors?: Readonly<Record<string, string>>; readonly values?: Readonly<Record<string, string>> };

const classForm = z.object({
  key: classIdSchema,
  name: z.string().trim().min(1, { error: "give the class a name" }).max(200, { error: "at most 200 characters" }),
  isDefault: z.literal("on").optional(),
});

const mapForm = z.object({
  platform: z.enum(PLATFORMS),
  sku: z.string().trim().max(255).optional(),
  variantId: z.string().trim().max(255).optional(),
  classKey: classIdSchema,
});

export async function catalogAction(db: Db, shopId: string, form: FormData, actor: string): Promise<CatalogActionOutcome> {
  const intent = form.get("intent");
  const fields = Object.fromEntries([...form.entries()].filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  switch (intent) {
    case "save_class": {
      const parsed = classForm.safeParse(fields);
      if (!parsed.success) {
        const fieldErrors = Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message]));
        return { ok: false, error: "The class was not saved.", fieldErrors, values: fields };
      }
      const existed = (await db.commissionClass.count({ where: { shopId, key: parsed.data.key } })) > 0;
      await createCommissionClass(db, shopId, { key: parsed.data.key, name: parsed.data.name, ...(parsed.data.isDefault ? { isDefault: true } : {}) }, actor);
      return { ok: true, message: existed ? `Class ${parsed.data.key} renamed to ${parsed.data.name}.` : `Class ${parsed.data.key} created.` };
    }
    case "map": {
      const parsed = mapForm.safeParse(fields);
      if (!parsed.success || (!parsed.data.sku && !parsed.data.variantId)) return { ok: false, error: "Choose a class for this SKU." };
      const { platform, sku, variantId, classKey } = parsed.data;
      if ((await db.commissionClass.count({ where: { shopId, key: classKey } })) === 0) return { ok: false, error: `No class ${classKey}: create it first.` };
      await mapSku(db, shopId, { platform, sku: sku || null, variantId: variantId || null, classKey }, actor);
      return { ok: true, message: `${sku || variantId} mapped to ${classKey}.` };
    }
    case "unmap": {
      const id = z.uuid().safeParse(fields.mappingId);
      if (!id.success || !(await unmapSku(db, shopId, id.data, actor))) return { ok: false, error: "That mapping no longer exists." };
      return { ok: true, message: "Mapping removed: its lines pay on the default class." };
    }
    case "import": {
      const file = form.get("csv");
      const text = typeof file === "string" ? file : file ? await file.text() : "";
      if (text.length > MAX_CSV_BYTES) return { ok: false, error: "The file is larger than 1 MB: split it.", fieldErrors: { csv: "larger than 1 MB" } };
      return importMappingCsv(db, shopId, text, actor);
    }
    default:
      return { ok: false, error: "Unknown action." };
  }
}

/**
 * Every row is checked before any is written, so a file with one bad row changes nothing and the merchant sees
 * each bad row's line number.
 */
export async function importMappingCsv(db: Db, shopId: string, text: string, actor: string): Promise<CatalogActionOutcome> {
  const rows = parseCsv(text.replace(/^\uFEFF/, ""));
  const header = rows.shift()?.map((cell) => cell.trim().toLowerCase());
  if (!header || CSV_HEADER.some((name) => !header.includes(name))) {
    return { ok: false, error: `The file needs a header row: ${CSV_HEADER.join(",")}.`, fieldErrors: { csv: "missing header" } };
  }
  const at = (row: string[], name: (typeof CSV_HEADER)[number]) => (row[header.indexOf(name)] ?? "").trim();
  const known = new Set((await db.commissionClass.findMany({ where: { shopId }, select: { key: true } })).map((c) => c.key));
  const problems: string[] = [];
  const valid: { platform: Platform; sku: string | null; variantId: string | null; classKey: string }[] = [];
  rows.forEach((row, index) => {
    const line = index + 2;
    const platform = at(row, "platform") || "shopify";
    const sku = at(row, "sku");
    const variantId = at(row, "variant_id");
    const classKey = at(row, "class");
    if (!(PLATFORMS as readonly string[]).includes(platform)) problems.push(`line ${line}: unknown platform "${platform}"`);
    else if (!sku && !variantId) problems.push(`line ${line}: give a sku or a variant_id`);
    else if (!known.has(classKey)) problems.push(`line ${line}: no class "${classKey}"`);
    else valid.push({ platform: platform as Platform, sku: sku || null, variantId: variantId || null, classKey });
  });
  if (problems.length > 0) {
    const shown = problems.slice(0, 10).join("; ");
    return {
      ok: false,
      error: `Nothing was imported: ${shown}${problems.length > 10 ? ` (and ${problems.length - 10} more)` : ""}.`,
      fieldErrors: { csv: shown },
    };
  }
  if (valid.length === 0) return { ok: false, error: "The file has no rows.", fieldErrors: { csv: "no rows" } };
  // One transaction: a file is imported whole or not at all. A large file takes a while, hence the timeout.
  await db.$transaction(
    async (tx) => {
      for (const mapping of valid) await mapSku(tx, shopId, mapping, actor);
    },
    { timeout: 120_000 },
  );
  return { ok: true, message: `Imported ${valid.length} mapping${valid.length === 1 ? "" : "s"}.` };
}
