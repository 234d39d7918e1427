/**
 * The shop's catalog for the SKU → class picker: products and variants read through the Admin API client (on
 * install and on demand), and kept current by products/update and products/delete deliveries (applied by the
 * worker in the inbox row's transaction). One product's variants are replaced together, unless the stored
 * product is newer than this version.
 */
import type { Db } from "~/db.server";
import type { DbOrTx } from "~/db/tx.server";
import { Prisma } from "~/generated/prisma/client";
import { catalogProductFromGraphql, PRODUCT_FIELDS, VARIANT_FIELDS, type CatalogProduct, type GraphqlProduct } from "~/domain/shopify-admin/catalog";
import type { ShopifyAdminClient } from "./admin-client.server";

const PRODUCTS_PAGE = `query CatalogProducts($first: Int!, $after: String) {
  products(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { ${PRODUCT_FIELDS} variants(first: 100) { nodes { ${VARIANT_FIELDS} } } }
  }
}`;

type Writer = DbOrTx;

/** Stores one product's variants; returns false when a newer version of the product is already stored. */
export async function storeCatalogProduct(db: Writer, shopId: string, product: CatalogProduct): Promise<boolean> {
  const updatedAt = new Date(product.updatedAt);
  const ids = product.variants.map((variant) => variant.platformVariantId);
  // Variants the product no longer has go, unless what is stored is newer than this version.
  const newer = await db.$queryRaw<unknown[]>`
    SELECT 1 FROM "CatalogVariant" WHERE "shopId" = ${shopId}::uuid AND "platform" = 'shopify'
      AND "platformProductId" = ${product.platformProductId} AND "productUpdatedAt" > ${updatedAt} LIMIT 1`;
  if (newer.length > 0) return false;
  await db.$executeRaw`
    DELETE FROM "CatalogVariant" WHERE "shopId" = ${shopId}::uuid AND "platform" = 'shopify'
      AND "platformProductId" = ${product.platformProductId} AND NOT ("platformVariantId" = ANY(${ids}::text[]))`;
  if (product.variants.length === 0) return true;
  await db.$executeRaw`
    INSERT INTO "CatalogVariant" ("shopId", "platform", "platformProductId", "platformVariantId", "sku", "productTitle",
      "variantTitle", "tags", "productUpdatedAt", "updatedAt")
    SELECT ${shopId}::uuid, 'shopify', ${product.platformProductId}, v.id, v.sku, ${product.title}, v.title, ${product.tags as string[]}::text[], ${updatedAt}, now()
    FROM unnest(${ids}::text[], ${product.variants.map((v) => v.sku)}::text[], ${product.variants.map((v) => v.title)}::text[]) AS v(id, sku, title)
    ON CONFLICT ("shopId", "platform", "platformVariantId") DO UPDATE SET
      "platformProductId" = EXCLUDED."platformProductId", "sku" = EXCLUDED."sku", "productTitle" = EXCLUDED."productTitle",
      "variantTitle" = EXCLUDED."variantTitle", "tags" = EXCLUDED."tags", "productUpdatedAt" = EXCLUDED."productUpdatedAt", "updatedAt" = now()
    WHERE "CatalogVariant"."productUpdatedAt" <= EXCLUDED."productUpdatedAt"`;
  return true;
}

export async function deleteCatalogProduct(db: Writer, shopId: string, platformProductId: string): Promise<number> {
  return db.$executeRaw`DELETE FROM "CatalogVariant" WHERE "shopId" = ${shopId}::uuid AND "platform" = 'shopify' AND "platformProductId" = ${platformProductId}`;
}

export interface CatalogSyncResult {
  products: number;
  variants: number;
}

/** Every product of the shop, page by page through the client (which keeps within the rate limit). */
export async function syncShopifyCatalog(db: Db, client: ShopifyAdminClient, shopId: string, shopDomain: string): Promise<CatalogSyncResult> {
  const result: CatalogSyncResult = { products: 0, variants: 0 };
  let after: string | null = null;
  for (;;) {
    const page: { data: { products: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: GraphqlProduct[] } } } = await client.graphql(
      shopDomain,
      PRODUCTS_PAGE,
      { first: 50, after },
    );
    for (const node of page.data.products.nodes) {
      const product = catalogProductFromGraphql(node);
      await storeCatalogProduct(db, shopId, product);
      result.products++;
      result.variants += product.variants.length;
    }
    const { hasNextPage, endCursor } = page.data.products.pageInfo;
    if (!hasNextPage || !endCursor) return result;
    after = endCursor;
  }
}

export interface CatalogEntry {
  platformProductId: string;
  platformVariantId: string;
  sku: string | null;
  productTitle: string;
  variantTitle: string;
  tags: string[];
}

/** The picker's list: variants whose SKU or title matches, by product title. */
export async function searchCatalog(db: Db, shopId: string, search: string, take = 50): Promise<CatalogEntry[]> {
  const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db.$queryRaw<CatalogEntry[]>(Prisma.sql`
    SELECT "platformProductId", "platformVariantId", "sku", "productTitle", "variantTitle", "tags"
    FROM "CatalogVariant"
    WHERE "shopId" = ${shopId}::uuid AND "platform" = 'shopify'
      AND (${search} = '' OR "sku" ILIKE ${like} OR "productTitle" ILIKE ${like} OR "variantTitle" ILIKE ${like} OR ${search} = ANY("tags"))
    ORDER BY "productTitle", "variantTitle", "platformVariantId"
    LIMIT ${take}`);
}
