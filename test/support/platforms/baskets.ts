/**
 * One basket, written in each platform's own payload shape by editing that platform's published sample.
 * The acceptance test feeds the three payloads through their adapters and expects the same normalized order
 * (apart from platform ids): same lines, prices, discounts, taxes, totals and referral code.
 */
import { formatMinor, parseDecimalToMinor } from "~/domain/money";
import { fixtureJson } from "./fixtures";
import { at, clone, records, type JsonRecord } from "./json-edit";

export interface BasketLine {
  readonly sku: string;
  readonly title: string;
  readonly quantity: number;
  /** Per unit, before discounts, without tax. */
  readonly unitPrice: string;
  /** For the whole line: its line discount plus its share of the order's coupon. */
  readonly discount: string;
  /** For the whole line, after discounts. */
  readonly tax: string;
}

export interface Basket {
  readonly currency: string;
  readonly orderedAtUtc: string;
  /** Percent, as the platforms configure it; every amount of this basket is exact at this rate. */
  readonly taxRatePercent: number;
  readonly lines: readonly BasketLine[];
  readonly couponCode: string;
  readonly shipping: string;
  readonly referralCode: string;
}

export const SPRING_BASKET: Basket = {
  currency: "USD",
  orderedAtUtc: "2026-03-01T10:00:00Z",
  taxRatePercent: 8,
  lines: [
    { sku: "UPL-SHAKE-VAN", title: "Protein shake, vanilla", quantity: 2, unitPrice: "25.00", discount: "5.00", tax: "3.60" },
    { sku: "UPL-HOODIE-S", title: "Hoodie, S", quantity: 1, unitPrice: "30.00", discount: "3.00", tax: "2.16" },
  ],
  couponCode: "SPRING8",
  shipping: "7.50",
  referralCode: "JANE01",
};

/** The basket's amounts in minor units, and the text each platform would print for them. */
function amounts(basket: Basket) {
  const minor = (text: string) => parseDecimalToMinor(text, basket.currency);
  const text = (amount: bigint) => formatMinor(amount, basket.currency);
  const lines = basket.lines.map((line) => {
    const unitPrice = minor(line.unitPrice);
    const gross = BigInt(line.quantity) * unitPrice;
    return { ...line, unitPriceMinor: unitPrice, grossMinor: gross, discountMinor: minor(line.discount), taxMinor: minor(line.tax) };
  });
  const subtotal = lines.reduce((sum, line) => sum + line.grossMinor, 0n);
  const discount = lines.reduce((sum, line) => sum + line.discountMinor, 0n);
  const tax = lines.reduce((sum, line) => sum + line.taxMinor, 0n);
  const shipping = minor(basket.shipping);
  /** The same amount with tax added at the basket's rate; the basket is chosen so this is exact. */
  const withTax = (amount: bigint) => {
    const scaled = amount * BigInt(100 + basket.taxRatePercent);
    if (scaled % 100n !== 0n) throw new Error(`${text(amount)} has no exact tax-inclusive price`);
    return scaled / 100n;
  };
  return { lines, subtotal, discount, tax, shipping, total: subtotal - discount + tax + shipping, text, withTax };
}

function shopifyMoney(key: string, amount: string, currency: string): JsonRecord {
  const bag = { amount, currency_code: currency };
  return { [key]: amount, [`${key}_set`]: { shop_money: bag, presentment_money: bag } };
}

/** orders/paid, from Shopify's sample order #9999. */
export function shopifyOrderFor(basket: Basket, { taxesIncluded = false } = {}): JsonRecord {
  const order = fixtureJson("shopify", "orders_create.sample.trigger-dev.json");
  const { lines, shipping, tax, text, withTax } = amounts(basket);
  const asCharged = (amount: bigint) => (taxesIncluded ? withTax(amount) : amount);
  const lineTemplate = records(order["line_items"])[0];
  const shippingTemplate = records(order["shipping_lines"])[0];
  const money = (key: string, amount: bigint) => shopifyMoney(key, text(amount), basket.currency);
  // What the buyer pays for the lines: tax-inclusive amounts already hold their tax.
  const linesCharged = lines.reduce((sum, line) => sum + BigInt(line.quantity) * asCharged(line.unitPriceMinor) - asCharged(line.discountMinor), 0n);
  const discountCharged = lines.reduce((sum, line) => sum + asCharged(line.discountMinor), 0n);
  const total = linesCharged + (taxesIncluded ? 0n : tax) + shipping;

  return {
    ...order,
    currency: basket.currency,
    presentment_currency: basket.currency,
    created_at: withUtcOffset(basket.orderedAtUtc, -5),
    updated_at: withUtcOffset(basket.orderedAtUtc, -5),
    processed_at: withUtcOffset(basket.orderedAtUtc, -5),
    cancelled_at: null,
    cancel_reason: null,
    financial_status: "paid",
    taxes_included: taxesIncluded,
    note_attributes: [{ name: "upline_ref", value: basket.referralCode }],
    discount_codes: [{ code: basket.couponCode, amount: text(discountCharged), type: "fixed_amount" }],
    line_items: lines.map((line, index) => ({
      ...clone(lineTemplate),
      id: 1001 + index,
      admin_graphql_api_id: `gid://shopify/LineItem/${1001 + index}`,
      sku: line.sku,
      title: line.title,
      name: line.title,
      quantity: line.quantity,
      ...money("price", asCharged(line.unitPriceMinor)),
      discount_allocations: [{ discount_application_index: 0, ...money("amount", asCharged(line.discountMinor)) }],
      tax_lines: [{ title: "State Tax", rate: basket.taxRatePercent / 100, ...money("price", line.taxMinor) }],
    })),
    shipping_lines: [{ ...clone(shippingTemplate), ...money("price", shipping), ...money("discounted_price", shipping) }],
    ...money(
      "total_line_items_price",
      lines.reduce((sum, line) => sum + BigInt(line.quantity) * asCharged(line.unitPriceMinor), 0n),
    ),
    ...money("total_discounts", discountCharged),
    ...money("subtotal_price", linesCharged),
    ...money("total_tax", tax),
    ...money("total_price", total),
  };
}

/** order.created / order.updated webhook body, from the WooCommerce docs' order 727. */
export function wooCommerceOrderFor(basket: Basket): JsonRecord {
  const order = fixtureJson("woocommerce", "order-727.wc-v3.docs.json");
  const { lines, discount, tax, shipping, total, text, withTax } = amounts(basket);
  const lineTemplate = records(order["line_items"])[1];
  const taxOn = (amount: bigint) => withTax(amount) - amount;
  const gmt = basket.orderedAtUtc.slice(0, 19);

  return {
    ...order,
    status: "processing",
    currency: basket.currency,
    date_created_gmt: gmt,
    date_modified_gmt: gmt,
    date_paid_gmt: gmt,
    discount_total: text(discount),
    discount_tax: text(taxOn(discount)),
    shipping_total: text(shipping),
    shipping_tax: "0.00",
    cart_tax: text(tax),
    total_tax: text(tax),
    total: text(total),
    meta_data: [...records(order["meta_data"]), { id: 13107, key: "_upline_ref", value: basket.referralCode }],
    line_items: lines.map((line, index) => {
      const lineTotal = line.grossMinor - line.discountMinor;
      return {
        ...clone(lineTemplate),
        id: 501 + index,
        name: line.title,
        sku: line.sku,
        variation_id: 0,
        quantity: line.quantity,
        subtotal: text(line.grossMinor),
        subtotal_tax: text(taxOn(line.grossMinor)),
        total: text(lineTotal),
        total_tax: text(line.taxMinor),
        taxes: [{ id: 75, total: text(line.taxMinor), subtotal: text(taxOn(line.grossMinor)) }],
        meta_data: [],
        price: Number(text(lineTotal)) / line.quantity,
      };
    }),
    coupon_lines: [{ id: 901, code: basket.couponCode, discount: text(discount), discount_tax: text(taxOn(discount)), meta_data: [] }],
    shipping_lines: [{ ...records(order["shipping_lines"])[0], total: text(shipping) }],
  };
}

/**
 * GET /V1/orders/{id} shape, from the Adobe Commerce docs' order 3. Odd-numbered basket lines are sold as a
 * configurable product (a priced parent plus its zero-priced child), so the adapter must skip the child.
 */
export function magentoOrderFor(basket: Basket): JsonRecord {
  const order = fixtureJson("magento", "order-3.rest-v1.get-orders-id.docs.json");
  const { lines, subtotal, discount, tax, shipping, total, text, withTax } = amounts(basket);
  const number = (amount: bigint) => Number(text(amount));
  const templates = records(order["items"]);
  const simpleTemplate = templates.find((item) => item["item_id"] === 3);
  const parentTemplate = templates.find((item) => item["item_id"] === 10);
  const childTemplate = templates.find((item) => item["item_id"] === 11);

  const items = lines.flatMap((line, index) => {
    const itemId = 101 + index * 2;
    const priced = {
      ...clone(index % 2 === 1 ? parentTemplate : simpleTemplate),
      item_id: itemId,
      sku: line.sku,
      name: line.title,
      qty_ordered: line.quantity,
      ...bothBases({
        price: number(line.unitPriceMinor),
        original_price: number(line.unitPriceMinor),
        price_incl_tax: number(withTax(line.unitPriceMinor)),
        row_total: number(line.grossMinor),
        row_total_incl_tax: number(withTax(line.grossMinor)),
        discount_amount: number(line.discountMinor),
        tax_amount: number(line.taxMinor),
      }),
      tax_percent: basket.taxRatePercent,
    };
    if (index % 2 === 0) return [priced];
    const child: JsonRecord = { ...clone(childTemplate), item_id: itemId + 1, parent_item_id: itemId, sku: line.sku, qty_ordered: line.quantity };
    delete child["parent_item"];
    return [priced, child];
  });

  const shippingAssignment = at(order, "extension_attributes.shipping_assignments[0]");
  shippingAssignment["items"] = clone(items);
  return {
    ...order,
    state: "processing",
    status: "processing",
    created_at: basket.orderedAtUtc.slice(0, 19).replace("T", " "),
    updated_at: basket.orderedAtUtc.slice(0, 19).replace("T", " "),
    order_currency_code: basket.currency,
    base_currency_code: basket.currency,
    store_currency_code: basket.currency,
    global_currency_code: basket.currency,
    coupon_code: basket.couponCode,
    ...bothBases({
      subtotal: number(subtotal),
      discount_amount: -number(discount),
      tax_amount: number(tax),
      shipping_amount: number(shipping),
      shipping_incl_tax: number(shipping),
      grand_total: number(total),
      total_due: number(total),
    }),
    items,
    extension_attributes: { ...at(order, "extension_attributes"), upline_ref: basket.referralCode },
  };
}

/** The same order as an Adobe I/O `observer.sales_order_save_after` event, wrapped in the docs' envelope. */
export function magentoIoEventFor(basket: Basket): JsonRecord {
  const envelope = fixtureJson("magento", "io-events.envelope.catalog_product_save_commit_after.docs.json");
  const order = magentoOrderFor(basket);
  // The event reference's order payload has no entity_id; the items still carry order_id.
  delete order["entity_id"];
  return {
    ...envelope,
    type: "com.adobe.commerce.observer.sales_order_save_after",
    data: { ...at(envelope, "data"), value: order },
  };
}

/** Magento repeats each amount in the base currency; this basket's base currency is the order currency. */
function bothBases(fields: Record<string, number>): Record<string, number> {
  const withBase: Record<string, number> = {};
  for (const [key, value] of Object.entries(fields)) {
    withBase[key] = value;
    withBase[`base_${key}`] = value;
  }
  return withBase;
}

/** "2026-03-01T10:00:00Z", -5 → "2026-03-01T05:00:00-05:00", the way Shopify writes shop-local times. */
function withUtcOffset(utc: string, hours: number): string {
  const local = new Date(Date.parse(utc) + hours * 3_600_000).toISOString().slice(0, 19);
  const sign = hours < 0 ? "-" : "+";
  return `${local}${sign}${String(Math.abs(hours)).padStart(2, "0")}:00`;
}
