/**
 * Magento credit memo (REST `GET /V1/creditmemo/{id}` shape; also `sales_order_creditmemo_save_after`
 * events) → NormalizedRefund. Credit memo amounts are positive, in the order currency.
 *
 * Items point at the order through order_item_id. Magento lists every order item, refunded or not, so
 * zero-quantity rows are dropped; children of configurable/bundle items are dropped when the payload says
 * they are children, or when the caller passes the order's top-level line ids (`orderLineIds`).
 */
import type { CurrencyCode } from "../money";
import type { NormalizeOptions } from "./adapter";
import type { Fields } from "./fields";
import { isChildItem, magentoEntity } from "./magento-entity";
import { discountWithoutTax } from "./magento-order";
import type { NormalizedRefund, NormalizedRefundLine } from "./normalized";
import { timestampOrDelivery } from "./timestamps";

export function normalizeMagentoCreditMemo(body: unknown, options: NormalizeOptions = {}): NormalizedRefund {
  const creditMemo = magentoEntity(body, "creditmemo");
  const currency = creditMemo.currency("order_currency_code", options.currency);
  const items = creditMemo.objects("items");
  const orderLineIds = options.orderLineIds ? new Set(options.orderLineIds) : null;

  return {
    kind: "refund",
    platform: "magento",
    platformRefundId: creditMemoId(creditMemo, items),
    platformOrderId: creditMemo.id("order_id"),
    refundedAt: timestampOrDelivery(creditMemo, ["created_at"], options.deliveredAt),
    currency,
    lines: items
      .filter((item) => !isChildItem(item))
      .map((item) => refundLine(item, currency))
      .filter((line) => line.quantity > 0 && (orderLineIds === null || orderLineIds.has(line.platformLineId))),
    shippingMinor: creditMemo.optionalMoney("shipping_amount", currency),
    totalMinor: creditMemo.money("grand_total", currency),
  };
}

function refundLine(item: Fields, currency: CurrencyCode): NormalizedRefundLine {
  return {
    platformLineId: item.id("order_item_id"),
    quantity: item.quantity("qty"),
    subtotalMinor: item.optionalMoney("row_total", currency) - discountWithoutTax(item, currency),
    taxMinor: item.optionalMoney("tax_amount", currency),
  };
}

/** Adobe I/O credit memo payloads do not list entity_id; each item's parent_id is the credit memo's id. */
function creditMemoId(creditMemo: Fields, items: readonly Fields[]): string {
  return creditMemo.optionalId("entity_id") ?? items[0]?.optionalId("parent_id") ?? creditMemo.fail("entity_id", "is required");
}
