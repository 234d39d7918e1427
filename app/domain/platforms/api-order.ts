import { z } from "zod";
import { fitsBigint, instantText, storableText } from "~/domain/input-atoms";
import { MoneyError, normalizeCurrency, parseDecimalToMinor } from "~/domain/money";
import { NormalizationError, type NormalizedLine, type NormalizedOrder } from "./normalized";

/**
 * The REST seed API's order (`POST /api/v1/orders`): for stores on no supported platform, imports and tests.
 * Either one `sku` with an `amount`, or `items`. Ids may be numbers or strings but are kept as exact strings;
 * amounts are decimal strings (or numbers) in `currency`, parsed without floats.
 *
 * The API door runs `normalizeApiOrder` itself before it answers 202, so everything the worker would refuse
 * (an amount in exponent form or past a bigint, text PostgreSQL cannot store, a year outside the calendar) is a
 * 422 at the door, never a job that retries and dies.
 */

const DECIMAL_TEXT = /^-?\d{1,15}(\.\d{1,8})?$/;
const DECIMAL_MESSAGE = 'must be a decimal amount such as "19.99" (at most 15 digits before the point and 8 after, no exponent)';
const id = z.union([storableText(255), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)]).transform(String);
// A JSON number is accepted only when its shortest text is plain decimal: 1e21 and 1e-7 are not amounts.
const decimal = z.union([
  z.string().trim().regex(DECIMAL_TEXT, DECIMAL_MESSAGE),
  z.number().refine((value) => Number.isFinite(value) && DECIMAL_TEXT.test(String(value)), { error: DECIMAL_MESSAGE }),
]);

const item = z.object({
  sku: storableText(255),
  quantity: z.number().int().positive().max(1_000_000).default(1),
  unit_price: decimal,
  discount: decimal.optional(),
  tax: decimal.optional(),
  title: storableText(500).optional(),
});

export const apiOrderSchema = z
  .object({
    platform_order_id: id.optional(),
    shopify_order_id: id.optional(),
    order_number: storableText(64).optional(),
    ordered_at: instantText.optional(),
    currency: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{3}$/, "must be an ISO 4217 code such as USD"),
    customer_id: id.optional(),
    customer_email: z.email().max(320).optional(),
    referrer_id: storableText(64).optional(),
    sku: storableText(255).optional(),
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
  const minor = (value: string | number | undefined, field: string) => {
    if (value === undefined) return 0n;
    try {
      return checkedBigint(field, parseDecimalToMinor(value, currency));
    } catch (error) {
      if (error instanceof MoneyError) throw new NormalizationError(field, error.message);
      throw error;
    }
  };

  const lines: NormalizedLine[] = order.items
    ? order.items.map((entry, index) => ({
        platformLineId: String(index + 1),
        sku: entry.sku,
        platformProductId: null,
        platformVariantId: null,
        title: entry.title ?? entry.sku,
        quantity: entry.quantity,
        unitPriceMinor: minor(entry.unit_price, `items.${index}.unit_price`),
        discountMinor: minor(entry.discount, `items.${index}.discount`),
        taxMinor: minor(entry.tax, `items.${index}.tax`),
      }))
    : [singleSkuLine(order.sku!, order.quantity ?? 1, minor(order.amount, "amount"))];

  const totalField = order.items ? "items" : "amount";
  let linesTotal = 0n;
  for (const [index, line] of lines.entries()) {
    const field = order.items ? `items.${index}` : "amount";
    linesTotal = checkedBigint(field, linesTotal + checkedBigint(field, line.unitPriceMinor * BigInt(line.quantity)) - line.discountMinor + line.taxMinor);
  }
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
    shippingMinor: minor(order.shipping, "shipping"),
    taxMinor:
      order.tax !== undefined
        ? minor(order.tax, "tax")
        : checkedBigint(
            "tax",
            lines.reduce((sum, line) => sum + line.taxMinor, 0n),
          ),
    totalMinor: checkedBigint(totalField, linesTotal + minor(order.shipping, "shipping")),
  };
}

/** Every amount, line total and order total is stored in a bigint column: refuse what would not fit. */
function checkedBigint(field: string, value: bigint): bigint {
  if (!fitsBigint(value)) throw new NormalizationError(field, "the amount in minor units exceeds what a 64-bit integer holds");
  return value;
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
