/**
 * The stored order as the commission step reads it, in one query (this runs for every order delivery): the
 * engine's view of it (lines with exact amounts, from OrderLine), what attribution needs (customer account,
 * every referral reference in priority order), and whether its commission was already computed.
 *
 * The Order row is locked until the transaction ends: every commission write of an order (computing it,
 * reversing a refund) takes this lock first, so a refund recorded while its order's commission is being computed
 * waits for it instead of finding no commission and being skipped.
 */
import { toEngineOrder, type EngineOrder } from "~/domain/engine";
import type { NormalizedOrder, OrderStatus, Platform, ReferralReference } from "~/domain/platforms/normalized";
import type { Tx } from "~/db/tx.server";

export interface OrderForCommission {
  readonly engineOrder: EngineOrder;
  readonly status: OrderStatus;
  readonly platform: Platform;
  /** The platform's id of the order (the Web Pixel's report is keyed by it). */
  readonly platformOrderId: string;
  readonly orderedAt: Date;
  readonly platformUpdatedAt: Date;
  readonly customerPlatformId: string | null;
  /** Every reference found on the order (the Order row keeps only the first), cart attribute before coupon. */
  readonly referrals: readonly ReferralReference[];
  /** The order already has its Commission row. */
  readonly computed: boolean;
  /** Refunds of the order recorded (its order present) so far. */
  readonly recordedRefunds: number;
}

interface OrderRow {
  id: string;
  platform: Platform;
  platformOrderId: string;
  orderedAt: Date;
  platformUpdatedAt: Date;
  status: OrderStatus;
  currency: string;
  shippingMinor: bigint;
  taxMinor: bigint;
  customerPlatformId: string | null;
  referrals: unknown;
  referralCode: string | null;
  referralSource: string | null;
  computed: boolean;
  recordedRefunds: number;
  // Amounts as decimal strings: JSON numbers could not carry a bigint exactly.
  lines: {
    platformLineId: string;
    sku: string | null;
    platformVariantId: string | null;
    quantity: number;
    unitPriceMinor: string;
    discountMinor: string;
    taxMinor: string;
  }[];
}

export async function loadOrderForCommission(tx: Tx, shopId: string, orderId: string): Promise<OrderForCommission | null> {
  const [order] = await tx.$queryRaw<OrderRow[]>`
    SELECT o."id", o."platform"::text AS platform, o."platformOrderId", o."orderedAt", o."platformUpdatedAt", o."status"::text AS status,
      o."currency", o."shippingMinor", o."taxMinor", o."customerPlatformId", o."normalized"->'referrals' AS referrals,
      o."referralCode", o."referralSource",
      EXISTS (SELECT 1 FROM "Commission" c WHERE c."shopId" = o."shopId" AND c."orderId" = o."id") AS computed,
      -- By the platform order id: that is what Refund is indexed on (a recorded refund carries the order id too).
      (SELECT count(*) FROM "Refund" r WHERE r."shopId" = o."shopId" AND r."platform" = o."platform"
        AND r."platformOrderId" = o."platformOrderId" AND r."status" = 'recorded')::int AS "recordedRefunds",
      COALESCE((
        SELECT json_agg(json_build_object(
          'platformLineId', l."platformLineId", 'sku', l."sku", 'platformVariantId', l."platformVariantId", 'quantity', l."quantity",
          'unitPriceMinor', l."unitPriceMinor"::text, 'discountMinor', l."discountMinor"::text, 'taxMinor', l."taxMinor"::text
        ) ORDER BY l."position")
        FROM "OrderLine" l WHERE l."shopId" = o."shopId" AND l."orderId" = o."id"
      ), '[]'::json) AS lines
    FROM "Order" o
    WHERE o."id" = ${orderId}::uuid AND o."shopId" = ${shopId}::uuid
    FOR UPDATE OF o`;
  if (!order) return null;
  return {
    engineOrder: toEngineOrder({ ...order, orderId: order.id }),
    status: order.status,
    platform: order.platform,
    platformOrderId: order.platformOrderId,
    orderedAt: order.orderedAt,
    platformUpdatedAt: order.platformUpdatedAt,
    customerPlatformId: order.customerPlatformId,
    referrals: referralsOf(order.referrals, order.referralCode, order.referralSource),
    computed: order.computed,
    recordedRefunds: order.recordedRefunds,
  };
}

/**
 * The same view built from the normalized order just stored under `orderId`, without reading it back: what
 * loadOrderForCommission would return for it (the stored row holds exactly these values; a test keeps the two
 * in step). `computed` and `recordedRefunds` come from the caller, who read them in the statement that stored it.
 */
export function orderForCommissionFromNormalized(
  orderId: string,
  order: NormalizedOrder,
  state: Pick<OrderForCommission, "computed" | "recordedRefunds">,
): OrderForCommission {
  const orderedAt = new Date(order.orderedAt);
  return {
    engineOrder: toEngineOrder({ ...order, orderId, orderedAt }),
    status: order.status,
    platform: order.platform,
    platformOrderId: order.platformOrderId,
    orderedAt,
    platformUpdatedAt: new Date(order.updatedAt),
    customerPlatformId: order.customer.platformCustomerId,
    referrals: order.referrals,
    ...state,
  };
}

/** The normalized order's `referrals`, falling back to the Order row's first reference. */
function referralsOf(list: unknown, code: string | null, source: string | null): ReferralReference[] {
  if (Array.isArray(list)) {
    return list.filter(
      (item): item is ReferralReference =>
        typeof item === "object" &&
        item !== null &&
        typeof (item as ReferralReference).code === "string" &&
        typeof (item as ReferralReference).source === "string",
    );
  }
  return code && source ? [{ code, source: source as ReferralReference["source"] }] : [];
}
