/**
 * Test data for the fake Admin GraphQL server: a REST/webhook order payload presented the way the GraphQL Admin
 * API presents the same order (Order, LineItem, ShippingLine objects; MoneyBag `shopMoney`; global ids), and
 * generated orders for the backfill tests and benchmark. Written from Shopify's object reference, independently
 * of app/domain/shopify-admin/graphql-order.ts, which maps the other way.
 */
import type { GraphqlOrder } from "~/domain/shopify-admin/graphql-order";

type Json = Record<string, unknown>;

const bag = (amount: unknown, currency: string) => ({ shopMoney: { amount: String(amount), currencyCode: currency } });

function shopAmount(record: Json, key: string): string {
  const set = record[`${key}_set`] as { shop_money?: { amount?: unknown } } | undefined;
  return String(set?.shop_money?.amount ?? record[key] ?? "0.00");
}

const gidOf = (record: Json, type: string): string =>
  typeof record.admin_graphql_api_id === "string" ? record.admin_graphql_api_id : `gid://shopify/${type}/${String(record.id)}`;

export function graphqlOrderFromRest(rest: Json): GraphqlOrder {
  const currency = String(rest.currency);
  const taxLines = (lines: unknown) =>
    ((lines as Json[] | undefined) ?? []).map((line) => ({
      rate: line.rate === undefined ? null : Number(line.rate),
      priceSet: bag(shopAmount(line, "price"), currency),
    }));
  const allocations = (list: unknown) =>
    ((list as Json[] | undefined) ?? []).map((allocation) => ({ allocatedAmountSet: bag(shopAmount(allocation, "amount"), currency) }));
  const customer = rest.customer as Json | null | undefined;
  return {
    id: gidOf(rest, "Order"),
    name: (rest.name as string | undefined) ?? null,
    createdAt: String(rest.created_at),
    updatedAt: String(rest.updated_at ?? rest.created_at),
    cancelledAt: (rest.cancelled_at as string | null | undefined) ?? null,
    displayFinancialStatus: typeof rest.financial_status === "string" ? rest.financial_status.toUpperCase() : null,
    currencyCode: currency,
    taxesIncluded: Boolean(rest.taxes_included),
    email: (rest.email as string | null | undefined) ?? null,
    customer: customer ? { id: gidOf(customer, "Customer") } : null,
    customAttributes: ((rest.note_attributes as Json[] | undefined) ?? []).map((attribute) => ({
      key: String(attribute.name),
      value: attribute.value === null || attribute.value === undefined ? null : String(attribute.value),
    })),
    discountCodes: ((rest.discount_codes as Json[] | undefined) ?? []).map((code) => String(code.code)),
    totalPriceSet: bag(shopAmount(rest, "total_price"), currency),
    totalTaxSet: bag(shopAmount(rest, "total_tax"), currency),
    lineItems: {
      nodes: ((rest.line_items as Json[] | undefined) ?? []).map((line) => ({
        id: gidOf(line, "LineItem"),
        sku: (line.sku as string | null | undefined) ?? null,
        name: (line.name as string | undefined) ?? null,
        title: (line.title as string | undefined) ?? null,
        quantity: Number(line.quantity),
        originalUnitPriceSet: bag(shopAmount(line, "price"), currency),
        discountAllocations: allocations(line.discount_allocations),
        taxLines: taxLines(line.tax_lines),
        product: line.product_id === null || line.product_id === undefined ? null : { id: `gid://shopify/Product/${String(line.product_id)}` },
        variant: line.variant_id === null || line.variant_id === undefined ? null : { id: `gid://shopify/ProductVariant/${String(line.variant_id)}` },
      })),
    },
    shippingLines: {
      nodes: ((rest.shipping_lines as Json[] | undefined) ?? []).map((line, index) => ({
        id: `gid://shopify/ShippingLine/${String(line.id ?? index + 1)}`,
        title: (line.title as string | undefined) ?? null,
        originalPriceSet: bag(shopAmount(line, "price"), currency),
        discountAllocations: allocations(line.discount_allocations),
        taxLines: taxLines(line.tax_lines),
      })),
    },
  };
}

/**
 * A paid order `n` of a generated shop: two lines, a shipping line, a referral cart attribute. Ids are distinct
 * per n; `updatedAt` is fixed by n so a regenerated order is the same version.
 */
export function generatedGraphqlOrder(n: number, options: { currency?: string; baseTime?: number; referralCode?: string | null } = {}): GraphqlOrder {
  const currency = options.currency ?? "USD";
  const at = new Date((options.baseTime ?? Date.UTC(2026, 10, 1)) + n * 1_000).toISOString();
  const id = 5_000_000_000 + n;
  return {
    id: `gid://shopify/Order/${id}`,
    name: `#${1000 + n}`,
    createdAt: at,
    updatedAt: at,
    cancelledAt: null,
    displayFinancialStatus: "PAID",
    currencyCode: currency,
    taxesIncluded: false,
    email: `buyer${n}@example.com`,
    customer: { id: `gid://shopify/Customer/${7_000_000_000 + n}` },
    customAttributes: options.referralCode ? [{ key: "upline_ref", value: options.referralCode }] : [],
    discountCodes: [],
    totalPriceSet: bag("64.00", currency),
    totalTaxSet: bag("0.00", currency),
    lineItems: {
      nodes: [
        {
          id: `gid://shopify/LineItem/${id * 10 + 1}`,
          sku: "KIT-1",
          name: "Starter kit",
          title: "Starter kit",
          quantity: 1,
          originalUnitPriceSet: bag("40.00", currency),
          discountAllocations: [],
          taxLines: [],
          product: { id: "gid://shopify/Product/11" },
          variant: { id: "gid://shopify/ProductVariant/111" },
        },
        {
          id: `gid://shopify/LineItem/${id * 10 + 2}`,
          sku: "REFILL",
          name: "Refill",
          title: "Refill",
          quantity: 2,
          originalUnitPriceSet: bag("7.00", currency),
          discountAllocations: [],
          taxLines: [],
          product: { id: "gid://shopify/Product/12" },
          variant: { id: "gid://shopify/ProductVariant/121" },
        },
      ],
    },
    shippingLines: {
      nodes: [{ id: `gid://shopify/ShippingLine/${id}`, title: "Standard", originalPriceSet: bag("10.00", currency), discountAllocations: [], taxLines: [] }],
    },
  };
}
