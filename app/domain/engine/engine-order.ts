/**
 * The engine's order, from whichever form the order is in: a normalized delivery (amounts as bigint, just stored
 * by the worker), a stored Order row with its lines (amounts as decimal strings, as json_agg gives them), or a
 * calc snapshot's order (amounts as strings). One mapper, so the three sources cannot drift apart: the worker's
 * fast path and its general path must hand the engine the same order, or the same delivery would be paid
 * differently depending on the path it took.
 *
 * It copies only what the engine reads: customer details never reach an evaluation or its snapshot.
 */
import type { Platform } from "../platforms/normalized";
import type { EngineOrder, EngineOrderLine } from "./types";

/** An amount in minor units, as a bigint or its exact decimal string. */
type Minor = bigint | string;

export interface EngineOrderSource {
  readonly orderId: string;
  readonly platform: Platform;
  readonly platformOrderId: string;
  /** A Date, or an ISO 8601 string taken as it is. */
  readonly orderedAt: Date | string;
  readonly currency: string;
  readonly shippingMinor: Minor;
  readonly taxMinor: Minor;
  readonly lines: readonly {
    readonly platformLineId: string;
    readonly sku: string | null;
    readonly platformVariantId: string | null;
    readonly quantity: number;
    readonly unitPriceMinor: Minor;
    readonly discountMinor: Minor;
    readonly taxMinor: Minor;
  }[];
}

export function toEngineOrder(source: EngineOrderSource): EngineOrder {
  return {
    orderId: source.orderId,
    platform: source.platform,
    platformOrderId: source.platformOrderId,
    orderedAt: typeof source.orderedAt === "string" ? source.orderedAt : source.orderedAt.toISOString(),
    currency: source.currency,
    shippingMinor: BigInt(source.shippingMinor),
    taxMinor: BigInt(source.taxMinor),
    lines: source.lines.map((line): EngineOrderLine => ({
      platformLineId: line.platformLineId,
      sku: line.sku,
      platformVariantId: line.platformVariantId,
      quantity: line.quantity,
      unitPriceMinor: BigInt(line.unitPriceMinor),
      discountMinor: BigInt(line.discountMinor),
      taxMinor: BigInt(line.taxMinor),
    })),
  };
}
