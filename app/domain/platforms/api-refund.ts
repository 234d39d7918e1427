/**
 * Refunds and cancellations of orders taken by the REST seed API (`POST /api/v1/orders/:id/refunds`,
 * `POST /api/v1/orders/:id/cancel`). A refund names lines (by the order's line id, "1" for its first item),
 * an amount that names no line, refunded shipping, or any mix: the same three parts a platform refund has, so
 * it is reversed by the same rule (app/domain/engine/reversal.ts). Its `refund_id` is the caller's own id: the
 * same refund id twice is one refund.
 *
 * The route resolves what the body leaves out against the stored order (a line's amount from its quantity, the
 * currency, the time) and stores the resolved body in the inbox; the worker's normalization is then pure.
 */
import { z } from "zod";
import { divideRoundHalfEven, normalizeCurrency, parseDecimalToMinor } from "../money";
import { NormalizationError, type NormalizedRefund } from "./normalized";

const id = z.union([z.string().trim().min(1).max(255), z.number().int().nonnegative()]).transform(String);
const amount = z.union([
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, 'must be a decimal amount ≥ 0 such as "19.99"'),
  z.number().finite().nonnegative(),
]);

export const apiRefundSchema = z
  .object({
    refund_id: id,
    refunded_at: z.iso.datetime({ offset: true }).optional(),
    currency: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{3}$/, "must be an ISO 4217 code such as USD")
      .optional(),
    lines: z
      .array(
        z.object({
          line_id: id,
          quantity: z.number().int().nonnegative().max(1_000_000).default(0),
          /** Net amount refunded for the line, without tax; default: its quantity's share of the line's net. */
          amount: amount.optional(),
          tax: amount.optional(),
        }),
      )
      .max(1_000)
      .optional(),
    /** Money refunded that names no line: reversed in proportion to the order. */
    amount: amount.optional(),
    shipping: amount.optional(),
    reason: z.string().max(500).optional(),
  })
  .superRefine((refund, context) => {
    if (!refund.lines?.length && refund.amount === undefined && refund.shipping === undefined) {
      context.addIssue({ code: "custom", path: ["lines"], message: "lines, amount or shipping is required" });
    }
    refund.lines?.forEach((line, index) => {
      if (line.quantity === 0 && line.amount === undefined) {
        context.addIssue({ code: "custom", path: ["lines", index, "quantity"], message: "quantity or amount is required" });
      }
    });
  });

export const apiCancelSchema = z.object({
  cancelled_at: z.iso.datetime({ offset: true }).optional(),
  reason: z.string().max(500).optional(),
});

export type ApiRefund = z.output<typeof apiRefundSchema>;

/** One line of the stored order, as the refund resolves against it. */
export interface ApiOrderLine {
  readonly platformLineId: string;
  readonly quantity: number;
  readonly netMinor: bigint;
}

/** The refund as stored in the inbox: every part resolved, amounts in minor units as decimal strings. */
export interface ResolvedApiRefund {
  readonly order_id: string;
  readonly refund_id: string;
  readonly refunded_at: string;
  readonly currency: string;
  readonly lines: readonly { readonly line_id: string; readonly quantity: number; readonly amount_minor: string; readonly tax_minor: string }[];
  readonly amount_minor: string;
  readonly shipping_minor: string;
}

/** Resolves a validated refund against its order; a NormalizationError names the first field that cannot apply. */
export function resolveApiRefund(
  refund: ApiRefund,
  order: { readonly platformOrderId: string; readonly currency: string; readonly lines: readonly ApiOrderLine[] },
  now: string,
): ResolvedApiRefund {
  const currency = normalizeCurrency(order.currency);
  if (refund.currency !== undefined && normalizeCurrency(refund.currency) !== currency) {
    throw new NormalizationError("currency", `${refund.currency.toUpperCase()} differs from the order's ${currency}`);
  }
  const minor = (value: string | number | undefined) => (value === undefined ? 0n : parseDecimalToMinor(value, currency));
  const lines = (refund.lines ?? []).map((line, index) => {
    const orderLine = order.lines.find((candidate) => candidate.platformLineId === line.line_id);
    if (!orderLine) throw new NormalizationError(`lines.${index}.line_id`, `the order has no line ${line.line_id}`);
    if (line.quantity > orderLine.quantity) {
      throw new NormalizationError(`lines.${index}.quantity`, `${line.quantity} is more than the ${orderLine.quantity} ordered`);
    }
    const net = orderLine.netMinor > 0n ? orderLine.netMinor : 0n;
    const share = orderLine.quantity > 0 ? divideRoundHalfEven(net * BigInt(line.quantity), BigInt(orderLine.quantity)) : 0n;
    return {
      line_id: line.line_id,
      quantity: line.quantity,
      amount_minor: String(line.amount === undefined ? share : minor(line.amount)),
      tax_minor: String(minor(line.tax)),
    };
  });
  return {
    order_id: order.platformOrderId,
    refund_id: refund.refund_id,
    refunded_at: refund.refunded_at ? new Date(refund.refunded_at).toISOString() : now,
    currency,
    lines,
    amount_minor: String(minor(refund.amount)),
    shipping_minor: String(minor(refund.shipping)),
  };
}

/** The inbox body of an API refund → NormalizedRefund (pure: everything was resolved when it was taken). */
export function normalizeApiRefund(body: ResolvedApiRefund): NormalizedRefund {
  const lines = body.lines.map((line) => ({
    platformLineId: line.line_id,
    quantity: line.quantity,
    subtotalMinor: BigInt(line.amount_minor),
    taxMinor: BigInt(line.tax_minor),
  }));
  const unattributed = BigInt(body.amount_minor);
  const shipping = BigInt(body.shipping_minor);
  return {
    kind: "refund",
    platform: "api",
    platformRefundId: body.refund_id,
    platformOrderId: body.order_id,
    refundedAt: body.refunded_at,
    currency: body.currency,
    lines,
    shippingMinor: shipping,
    totalMinor: lines.reduce((sum, line) => sum + line.subtotalMinor + line.taxMinor, 0n) + unattributed + shipping,
    ...(unattributed > 0n ? { unattributedMinor: unattributed } : {}),
  };
}
