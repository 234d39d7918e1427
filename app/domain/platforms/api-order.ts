import { z } from "zod";
import { normalizeCurrency, parseDecimalToMinor } from "~/domain/money";
import { NormalizationError, type NormalizedLine, type NormalizedOrder } from "./normalized";

/**
 * The REST seed API's order (`POST /api/v1/orders`): for stores on no supported platform, imports and tests.
 * Either one `sku` with an `amount`, or `items`. Ids may be numbers or strings but are kept as exact strings;
 * amounts are decimal strings (or numbers) in `currency`, parsed without floats.
 */

const id = z.union([z.string().trim().min(1).max(255), z.number().int().nonnegative()]).transform(String);
const decimal = z.union([z.string().trim().regex(/^-?\d+(\.\d+)?$/, "must be a decimal amount such as \"19.99\""), z.number().finite()]);

const item = z.object({
  sku: z.string().trim().min(1).max(255),
  quantity: z.number().int().positive().max(1_000_000).default(1),
  unit_price: decimal,
  discount: decimal.optional(),
  tax: decimal.optional(),
  title: z.string().max(500).optional(),
});

export const apiOrderSchema = z
  .object({
    platform_order_id: id.optional(),
    shopify_order_id: id.optional(),
    order_number: z.string().max(64).optional(),
    ordered_at: z.iso.datetime({ offset: true }).optional(),
    currency: z.string().trim().regex(/^[A-Za-z]{3}$/, "must be an ISO 4217 code such as USD"),
    customer_id: id.optional(),
    customer_email: z.email().optional(),
    referrer_id: z.string().trim().min(1).max(64).optional(),
    sku: z.string().trim().min(1).max(255).optional(),
    quantity: z.number().int().positive().max(1_000_000).optional(),
    amount: decimal.optional(),
    items: z.array(item).min(1).max(1_000).optional(),
    shipping: decimal.optional(),
    tax: decimal.optional(),
  })
  .superRefine((order, context) => {
    if (!order.platform_order_id && !order.shopify_order_id) {
      context.addIssue({ code: "custom", path: ["platform_order_id"], message: "platform_order_id or shopify_order_id is required" });
    }
    if (!order.items && !order.sku) context.addIssue({ code: "custom", path: ["items"], message: "items or sku is required" });
    if (order.items && order.sku) context.addIssue({ code: "custom", path: ["sku"], message: "give either sku or items, not both" });
    if (order.sku && order.amount === undefined) context.addIssue({ code: "custom", path: ["amount"], message: "amount is required with sku" });
  });

export type ApiOrderInput = z.input<typeof apiOrderSchema>;
export type ApiOrder = z.output<typeof apiOrderSchema>;

export function apiOrderId(order: ApiOrder): string {
  return (order.platform_order_id ?? order.shopify_order_id)!;
}

/** Validates a seed API body, throwing a NormalizationError that names the first bad field. */
export function parseApiOrder(body: unknown): ApiOrder {
  const result = apiOrderSchema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new NormalizationError(issue.path.join(".") || "(body)", issue.message);
  }
  return result.data;
}

export function normalizeApiOrder(body: unknown, receivedAt: string): NormalizedOrder {
  const order = parseApiOrder(body);
  const currency = normalizeCurrency(order.currency);
  const minor = (value: string | number | undefined) => (value === undefined ? 0n : parseDecimalToMinor(value, currency));

  const lines: NormalizedLine[] = order.items
    ? order.items.map((entry, index) => ({
        platformLineId: String(index + 1),
        sku: entry.sku,
        platformProductId: null,
        platformVariantId: null,
        title: entry.title ?? entry.sku,
        quantity: entry.quantity,
        unitPriceMinor: minor(entry.unit_price),
        discountMinor: minor(entry.discount),
        taxMinor: minor(entry.tax),
      }))
    : [singleSkuLine(order.sku!, order.quantity ?? 1, minor(order.amount))];

  const linesTotal = lines.reduce((sum, line) => sum + line.unitPriceMinor * BigInt(line.quantity) - line.discountMinor + line.taxMinor, 0n);
  const orderedAt = order.ordered_at ? new Date(order.ordered_at).toISOString() : receivedAt;
  return {
    kind: "order",
    platform: "api",
    platformOrderId: apiOrderId(order),
    orderNumber: order.order_number ?? null,
    orderedAt,
    updatedAt: orderedAt,
    status: "paid",
    currency,
    customer: { platformCustomerId: order.customer_id ?? null, email: order.customer_email ?? null },
    referrals: order.referrer_id ? [{ code: order.referrer_id, source: "api" }] : [],
    discountCodes: [],
    lines,
    shippingMinor: minor(order.shipping),
    taxMinor: order.tax !== undefined ? minor(order.tax) : lines.reduce((sum, line) => sum + line.taxMinor, 0n),
    totalMinor: linesTotal + minor(order.shipping),
  };
}

/** `amount` is the line's total for `quantity` units; the unit price must divide it exactly. */
function singleSkuLine(sku: string, quantity: number, amountMinor: bigint): NormalizedLine {
  if (amountMinor % BigInt(quantity) !== 0n) {
    throw new NormalizationError("amount", `${amountMinor} minor units do not split evenly over quantity ${quantity}; send items with unit_price`);
  }
  return {
    platformLineId: "1",
    sku,
    platformProductId: null,
    platformVariantId: null,
    title: sku,
    quantity,
    unitPriceMinor: amountMinor / BigInt(quantity),
    discountMinor: 0n,
    taxMinor: 0n,
  };
}
