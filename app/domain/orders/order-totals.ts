import type { NormalizedLine, NormalizedOrder } from "~/domain/platforms/normalized";

/** Net amount of one line: what the buyer paid for it before tax (unit price × quantity − its discounts). */
export function lineNetMinor(line: NormalizedLine): bigint {
  return line.unitPriceMinor * BigInt(line.quantity) - line.discountMinor;
}

export interface OrderTotals {
  /** Sum of unit price × quantity, before discounts. */
  subtotalMinor: bigint;
  discountMinor: bigint;
  /** Sum of line nets: the default commission base of the whole order. */
  netMinor: bigint;
}

export function orderTotals(order: Pick<NormalizedOrder, "lines">): OrderTotals {
  let subtotalMinor = 0n;
  let discountMinor = 0n;
  for (const line of order.lines) {
    subtotalMinor += line.unitPriceMinor * BigInt(line.quantity);
    discountMinor += line.discountMinor;
  }
  return { subtotalMinor, discountMinor, netMinor: subtotalMinor - discountMinor };
}
