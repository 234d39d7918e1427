/**
 * The money base of each order line: the net line amount (unit price × quantity − the discounts already
 * allocated to the line by the normalizer), without tax and shipping unless the shop includes them.
 */
import { allocateProportionally } from "../money";
import type { EngineOrder, EngineOrderLine, ShopCommissionSettings } from "./types";

export interface LineBase {
  readonly orderLineId: string;
  /** unit price × quantity − discount; may be negative on bad data (the base then counts it as 0). */
  readonly netMinor: bigint;
  readonly shippingShareMinor: bigint;
  readonly taxShareMinor: bigint;
  readonly baseMinor: bigint;
}

export function netLineAmount(line: EngineOrderLine): bigint {
  return line.unitPriceMinor * BigInt(line.quantity) - line.discountMinor;
}

export function computeCommissionBases(order: EngineOrder, settings: ShopCommissionSettings): LineBase[] {
  const nets = order.lines.map(netLineAmount);
  const weights = nets.map((net) => (net > 0n ? net : 0n));
  const shippingShares = settings.includeShipping ? allocateProportionally(shippingPool(order, settings), weights) : nets.map(() => 0n);
  return order.lines.map((line, index) => {
    const shippingShareMinor = shippingShares[index] ?? 0n;
    const taxShareMinor = settings.includeTax ? line.taxMinor : 0n;
    return {
      orderLineId: line.platformLineId,
      netMinor: nets[index] ?? 0n,
      shippingShareMinor,
      taxShareMinor,
      baseMinor: (weights[index] ?? 0n) + shippingShareMinor + taxShareMinor,
    };
  });
}

/**
 * Shipping to split over the lines. With tax included too, the tax not carried by any line is the tax on
 * shipping, so it travels with shipping. Split by net amount with the shared largest-remainder rule, so the
 * shares add up to the pool exactly and no rounding happens here.
 */
function shippingPool(order: EngineOrder, settings: ShopCommissionSettings): bigint {
  if (!settings.includeTax) return order.shippingMinor;
  const lineTax = order.lines.reduce((sum, line) => sum + line.taxMinor, 0n);
  const shippingTax = order.taxMinor - lineTax;
  return order.shippingMinor + (shippingTax > 0n ? shippingTax : 0n);
}
