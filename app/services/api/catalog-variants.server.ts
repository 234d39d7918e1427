/**
 * GET /api/v1/catalog: the shop's Shopify variants (SKU, product and variant title, tags) for the SKU → class
 * picker, searched by SKU, title or tag. The list comes from the Admin API read on install and the
 * products/update deliveries since (app/services/shopify/catalog.server.ts).
 */
import { z } from "zod";
import type { Db } from "~/db.server";
import { ProblemError, validationProblem } from "~/services/http/problem.server";
import { searchCatalog } from "~/services/shopify/catalog.server";

export const catalogQuery = z.strictObject({
  search: z.string().max(200).default(""),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export async function catalogVariants(db: Db, shopId: string, params: URLSearchParams) {
  const query = catalogQuery.safeParse(Object.fromEntries(params));
  if (!query.success) throw new ProblemError(validationProblem(400, query.error.issues, "A query parameter is invalid."));
  const rows = await searchCatalog(db, shopId, query.data.search.trim(), query.data.limit);
  return {
    variants: rows.map((row) => ({
      product_id: row.platformProductId,
      variant_id: row.platformVariantId,
      sku: row.sku,
      product_title: row.productTitle,
      variant_title: row.variantTitle,
      tags: row.tags,
    })),
  };
}
