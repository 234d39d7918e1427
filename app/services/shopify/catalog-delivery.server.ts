/**
 * products/create, products/update and products/delete deliveries applied to the catalog (in the inbox row's
 * transaction): the SKU → class picker stays current without another Admin API read. A body that is not a
 * product is recorded with the reason and changes nothing (retrying it could not help).
 */
import type { Tx } from "~/db/tx.server";
import { catalogProductFromWebhook, deletedProductId } from "~/domain/shopify-admin/catalog";
import { NormalizationError } from "~/domain/platforms/normalized";
import { deleteCatalogProduct, storeCatalogProduct } from "./catalog.server";

export async function applyCatalogDelivery(tx: Tx, shopId: string, topic: string, rawBody: string): Promise<Record<string, unknown> | null> {
  const key = topic.trim().toLowerCase().replaceAll("_", "/");
  if (key === "products/delete") {
    const productId = deletedProductId(rawBody);
    if (productId === null) return { catalog: "invalid", error: "id is required" };
    return { catalog: "deleted", platformProductId: productId, variants: await deleteCatalogProduct(tx, shopId, productId) };
  }
  if (key !== "products/update" && key !== "products/create") return null;
  let product;
  try {
    product = catalogProductFromWebhook(rawBody);
  } catch (error) {
    if (error instanceof NormalizationError) return { catalog: "invalid", error: error.message };
    throw error;
  }
  const applied = await storeCatalogProduct(tx, shopId, product);
  return { catalog: applied ? "stored" : "older-version", platformProductId: product.platformProductId, variants: product.variants.length };
}
