/**
 * A Shopify product and its variants, as the SKU → class picker needs them, from either source: a products/update
 * webhook (REST shape: numeric ids, `tags` as one comma-separated string) or an Admin GraphQL products page
 * (global ids, `tags` as a list). Pure; ids stay exact strings.
 */
import { parsedPayload } from "~/domain/platforms/adapter";
import { Fields } from "~/domain/platforms/fields";
import { optionalShopifyId, shopifyId } from "~/domain/platforms/shopify-fields";
import { timestamp } from "~/domain/platforms/timestamps";
import { numericIdOf } from "./graphql-order";

export interface CatalogProduct {
  readonly platformProductId: string;
  readonly title: string;
  readonly tags: readonly string[];
  /** ISO instant: a late, older version of the product changes nothing. */
  readonly updatedAt: string;
  readonly variants: readonly { readonly platformVariantId: string; readonly sku: string | null; readonly title: string }[];
}

export interface GraphqlProduct {
  readonly id: string;
  readonly title: string;
  readonly tags?: readonly string[];
  readonly updatedAt: string;
  readonly variants?: { readonly nodes: readonly { readonly id: string; readonly sku?: string | null; readonly title?: string | null }[] };
}

export const PRODUCT_FIELDS = "id title tags updatedAt";
export const VARIANT_FIELDS = "id sku title";

const cleanTags = (tags: readonly string[]) => [...new Set(tags.map((tag) => tag.trim()).filter((tag) => tag !== ""))];
const cleanSku = (sku: string | null | undefined) => (sku && sku.trim() !== "" ? sku.trim() : null);

export function catalogProductFromGraphql(product: GraphqlProduct): CatalogProduct {
  return {
    platformProductId: numericIdOf(product.id) ?? product.id,
    title: product.title,
    tags: cleanTags(product.tags ?? []),
    updatedAt: new Date(product.updatedAt).toISOString(),
    variants: (product.variants?.nodes ?? []).map((variant) => ({
      platformVariantId: numericIdOf(variant.id) ?? variant.id,
      sku: cleanSku(variant.sku),
      title: variant.title ?? "",
    })),
  };
}

/** A products/create or products/update delivery's body. */
export function catalogProductFromWebhook(body: unknown): CatalogProduct {
  const product = Fields.of(parsedPayload(body));
  const tags = product.raw("tags");
  return {
    platformProductId: shopifyId(product),
    title: product.optionalString("title") ?? "",
    tags: cleanTags(Array.isArray(tags) ? tags.map(String) : typeof tags === "string" ? tags.split(",") : []),
    updatedAt: new Date(timestamp(product, "updated_at")).toISOString(),
    variants: product.optionalObjects("variants").map((variant) => ({
      platformVariantId: shopifyId(variant),
      sku: cleanSku(variant.optionalString("sku")),
      title: variant.optionalString("title") ?? "",
    })),
  };
}

/** A products/delete delivery names only the product. */
export function deletedProductId(body: unknown): string | null {
  return optionalShopifyId(Fields.of(parsedPayload(body)));
}
