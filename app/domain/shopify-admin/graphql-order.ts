/**
 * An order read through the Admin GraphQL API, rewritten in the REST/webhook payload shape that the Shopify
 * normalizer (app/domain/platforms/shopify-order.ts) reads, so a backfilled order and a delivered one go through
 * one normalizer and come out equal. Only the fields the normalizer reads are mapped; amounts stay in the shop
 * currency (`shopMoney`), ids stay strings (global ids carry them exactly).
 *
 * The selection below is the one both the paginated query and the bulk operation ask for; keep the two in step.
 */

export interface GraphqlMoneyBag {
  readonly shopMoney: { readonly amount: string; readonly currencyCode: string };
}

export interface GraphqlTaxLine {
  readonly rate?: number | null;
  readonly priceSet: GraphqlMoneyBag;
}

export interface GraphqlDiscountAllocation {
  readonly allocatedAmountSet: GraphqlMoneyBag;
}

export interface GraphqlLineItem {
  readonly id: string;
  readonly sku?: string | null;
  readonly name?: string | null;
  readonly title?: string | null;
  readonly quantity: number;
  readonly originalUnitPriceSet: GraphqlMoneyBag;
  readonly discountAllocations?: readonly GraphqlDiscountAllocation[];
  readonly taxLines?: readonly GraphqlTaxLine[];
  readonly product?: { readonly id: string } | null;
  readonly variant?: { readonly id: string } | null;
}

export interface GraphqlShippingLine {
  readonly id?: string | null;
  readonly title?: string | null;
  readonly originalPriceSet: GraphqlMoneyBag;
  readonly discountAllocations?: readonly GraphqlDiscountAllocation[];
  readonly taxLines?: readonly GraphqlTaxLine[];
}

export interface GraphqlOrder {
  readonly id: string;
  readonly name?: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly cancelledAt?: string | null;
  readonly displayFinancialStatus?: string | null;
  readonly currencyCode: string;
  readonly taxesIncluded?: boolean | null;
  readonly email?: string | null;
  readonly customer?: { readonly id: string } | null;
  readonly customAttributes?: readonly { readonly key: string; readonly value?: string | null }[];
  readonly discountCodes?: readonly string[];
  readonly totalPriceSet: GraphqlMoneyBag;
  readonly totalTaxSet?: GraphqlMoneyBag | null;
  readonly lineItems?: { readonly nodes: readonly GraphqlLineItem[] };
  readonly shippingLines?: { readonly nodes: readonly GraphqlShippingLine[] };
}

const MONEY = "shopMoney { amount currencyCode }";
const TAX_LINES = `taxLines { rate priceSet { ${MONEY} } }`;
const DISCOUNTS = `discountAllocations { allocatedAmountSet { ${MONEY} } }`;

/** The order's own fields (no connections). */
export const ORDER_FIELDS = `id name createdAt updatedAt cancelledAt displayFinancialStatus currencyCode taxesIncluded email
  customer { id } customAttributes { key value } discountCodes
  totalPriceSet { ${MONEY} } totalTaxSet { ${MONEY} }`;
export const LINE_ITEM_FIELDS = `id sku name title quantity originalUnitPriceSet { ${MONEY} } ${DISCOUNTS} ${TAX_LINES} product { id } variant { id }`;
export const SHIPPING_LINE_FIELDS = `id title originalPriceSet { ${MONEY} } ${DISCOUNTS} ${TAX_LINES}`;

const GLOBAL_ID = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/;

/** The numeric part of a Shopify global id, as an exact string; null when it is not one. */
export function numericIdOf(globalId: string | null | undefined): string | null {
  if (!globalId) return null;
  return GLOBAL_ID.exec(globalId)?.[2] ?? null;
}

/** The resource type of a global id (`LineItem` for gid://shopify/LineItem/1), or null. */
export function resourceTypeOf(globalId: string | null | undefined): string | null {
  if (!globalId) return null;
  return GLOBAL_ID.exec(globalId)?.[1] ?? null;
}

function moneySet(bag: GraphqlMoneyBag | null | undefined) {
  if (!bag) return undefined;
  return { shop_money: { amount: bag.shopMoney.amount, currency_code: bag.shopMoney.currencyCode } };
}

function taxLines(lines: readonly GraphqlTaxLine[] | undefined) {
  return (lines ?? []).map((line) => ({
    price: line.priceSet.shopMoney.amount,
    price_set: moneySet(line.priceSet),
    ...(line.rate === undefined || line.rate === null ? {} : { rate: line.rate }),
  }));
}

function discountAllocations(allocations: readonly GraphqlDiscountAllocation[] | undefined) {
  return (allocations ?? []).map((allocation) => ({
    amount: allocation.allocatedAmountSet.shopMoney.amount,
    amount_set: moneySet(allocation.allocatedAmountSet),
  }));
}

/** OrderDisplayFinancialStatus (PAID, PARTIALLY_REFUNDED…) → the REST `financial_status` (paid, partially_refunded…). */
export function restFinancialStatus(status: string | null | undefined): string | null {
  return status ? status.toLowerCase() : null;
}

/** The REST/webhook-shaped payload of a GraphQL order, for the Shopify normalizer. */
export function restPayloadOf(order: GraphqlOrder): Record<string, unknown> {
  const customerId = numericIdOf(order.customer?.id);
  return {
    id: numericIdOf(order.id) ?? order.id,
    admin_graphql_api_id: order.id,
    name: order.name ?? null,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    cancelled_at: order.cancelledAt ?? null,
    financial_status: restFinancialStatus(order.displayFinancialStatus),
    currency: order.currencyCode,
    taxes_included: order.taxesIncluded ?? false,
    email: order.email ?? null,
    customer: customerId ? { id: customerId, admin_graphql_api_id: order.customer!.id } : null,
    note_attributes: (order.customAttributes ?? []).map((attribute) => ({ name: attribute.key, value: attribute.value ?? null })),
    discount_codes: (order.discountCodes ?? []).map((code) => ({ code })),
    total_price: order.totalPriceSet.shopMoney.amount,
    total_price_set: moneySet(order.totalPriceSet),
    total_tax: order.totalTaxSet?.shopMoney.amount ?? "0.00",
    ...(order.totalTaxSet ? { total_tax_set: moneySet(order.totalTaxSet) } : {}),
    line_items: (order.lineItems?.nodes ?? []).map((line) => ({
      id: numericIdOf(line.id) ?? line.id,
      admin_graphql_api_id: line.id,
      sku: line.sku ?? null,
      name: line.name ?? line.title ?? "",
      title: line.title ?? line.name ?? "",
      quantity: line.quantity,
      price: line.originalUnitPriceSet.shopMoney.amount,
      price_set: moneySet(line.originalUnitPriceSet),
      product_id: numericIdOf(line.product?.id),
      variant_id: numericIdOf(line.variant?.id),
      discount_allocations: discountAllocations(line.discountAllocations),
      tax_lines: taxLines(line.taxLines),
    })),
    shipping_lines: (order.shippingLines?.nodes ?? []).map((line) => ({
      id: numericIdOf(line.id) ?? null,
      title: line.title ?? null,
      price: line.originalPriceSet.shopMoney.amount,
      price_set: moneySet(line.originalPriceSet),
      discount_allocations: discountAllocations(line.discountAllocations),
      tax_lines: taxLines(line.taxLines),
    })),
  };
}
