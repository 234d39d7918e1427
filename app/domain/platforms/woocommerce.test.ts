import { describe, expect, it } from "vitest";
import { NormalizationError, type NormalizedOrder } from "./normalized";
import { signHmacSha256Base64 } from "./signatures";
import { fixtureJson, fixtureJsonList, fixtureText } from "~test/support/platforms/fixtures";
import { at, type JsonRecord } from "~test/support/platforms/json-edit";
import {
  classifyTopic,
  eventKey,
  extractWooCommerceRefundSummaries,
  isWooCommercePing,
  normalize,
  normalizeWooCommerceCustomer,
  normalizeWooCommerceOrder,
  normalizeWooCommerceRefund,
  topicOf,
  verifyDelivery,
  WOOCOMMERCE_DEFAULT_REFERRAL_KEYS,
  WOOCOMMERCE_PLUGIN_REFERRAL_KEYS,
} from "./woocommerce";

const ORDER = "order-727.wc-v3.docs.json";
const REFUND = "refund-726.wc-v3.docs.json";
const REFUND_LIST = "refunds-list-with-line-items.wc-v3.docs.json";

function fieldOfError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof NormalizationError) return error.field;
    throw error;
  }
  throw new Error("expected a NormalizationError");
}

function orderWith(edit: (body: JsonRecord) => void, options = {}): NormalizedOrder {
  const body = fixtureJson("woocommerce", ORDER);
  edit(body);
  return normalizeWooCommerceOrder(body, options);
}

describe("WooCommerce orders", () => {
  it("normalizes the docs' order 727", () => {
    expect(normalize("order.updated", fixtureText("woocommerce", ORDER))).toEqual<NormalizedOrder>({
      kind: "order",
      platform: "woocommerce",
      platformOrderId: "727",
      orderNumber: "727",
      orderedAt: "2017-03-22T19:28:02.000Z",
      updatedAt: "2017-03-22T19:28:08.000Z",
      status: "paid",
      currency: "USD",
      customer: { platformCustomerId: null, email: "john.doe@example.com" },
      referrals: [],
      discountCodes: [],
      lines: [
        {
          platformLineId: "315",
          sku: null,
          platformProductId: "93",
          platformVariantId: null,
          title: "Woo Single #1",
          quantity: 2,
          unitPriceMinor: 300n,
          discountMinor: 0n,
          taxMinor: 45n,
        },
        {
          platformLineId: "316",
          sku: "Bar3",
          platformProductId: "22",
          platformVariantId: "23",
          title: "Ship Your Idea &ndash; Color: Black, Size: M Test",
          quantity: 1,
          unitPriceMinor: 1200n,
          discountMinor: 0n,
          taxMinor: 90n,
        },
      ],
      shippingMinor: 1000n,
      taxMinor: 135n,
      totalMinor: 2935n,
    });
  });

  it("takes the discount as subtotal − total, both without tax", () => {
    const line = orderWith((body) => {
      Object.assign(at(body, "line_items[1]"), { subtotal: "12.00", total: "10.20", total_tax: "0.77" });
    }).lines[1];
    expect(line).toMatchObject({ unitPriceMinor: 1200n, discountMinor: 180n, taxMinor: 77n });
  });

  it("keeps the net exact when the subtotal does not divide by the quantity", () => {
    const line = orderWith((body) => {
      Object.assign(at(body, "line_items[0]"), { quantity: 3, subtotal: "10.00", total: "9.00" });
    }).lines[0];
    expect(line).toMatchObject({ quantity: 3, unitPriceMinor: 333n, discountMinor: 99n });
    expect(3n * (line?.unitPriceMinor ?? 0n) - (line?.discountMinor ?? 0n)).toBe(900n);
  });

  it("rounds Woo's extra tax digits by the one rule", () => {
    const line = orderWith((body) => (at(body, "line_items[0]")["total_tax"] = "1.363636")).lines[0];
    expect(line?.taxMinor).toBe(136n);
  });

  it("reads the referral from order meta (our keys first), then coupon codes", () => {
    const edit = (body: JsonRecord) => {
      body["meta_data"] = [
        { id: 1, key: "_yith_wcaf_referral", value: "YITH-TOKEN" },
        { id: 2, key: "upline_ref", value: "SECOND" },
        { id: 3, key: "_upline_ref", value: "FIRST" },
      ];
      body["coupon_lines"] = [{ id: 9, code: "jane10", discount: "1.00", discount_tax: "0.00" }];
    };
    expect(orderWith(edit).referrals).toEqual([
      { code: "FIRST", source: "meta_data" },
      { code: "SECOND", source: "meta_data" },
      { code: "jane10", source: "discount_code" },
    ]);
    expect(orderWith(edit).discountCodes).toEqual(["jane10"]);
    const yithFirst = [WOOCOMMERCE_PLUGIN_REFERRAL_KEYS.yithWooCommerceAffiliates, ...WOOCOMMERCE_DEFAULT_REFERRAL_KEYS];
    expect(orderWith(edit, { referralKeys: yithFirst }).referrals[0]).toEqual({ code: "YITH-TOKEN", source: "meta_data" });
  });

  it("ignores meta values that cannot be codes", () => {
    const referrals = orderWith((body) => {
      body["meta_data"] = [
        { id: 1, key: "_upline_ref", value: { nested: "object" } },
        { id: 2, key: "_upline_ref", value: "  " },
      ];
    }).referrals;
    expect(referrals).toEqual([]);
  });

  it.each([
    ["processing", [], "paid"],
    ["completed", [], "paid"],
    ["completed", [{ id: 726, reason: "", total: "-10.00" }], "partially_refunded"],
    ["refunded", [{ id: 726, reason: "", total: "-29.35" }], "refunded"],
    ["on-hold", [], "pending"],
    ["pending", [], "pending"],
    ["failed", [], "pending"],
    ["checkout-draft", [], "pending"],
    ["cancelled", [], "cancelled"],
    ["trash", [], "cancelled"],
  ])("maps status %s to %s", (status, refunds, expected) => {
    expect(orderWith((body) => Object.assign(body, { status, refunds })).status).toBe(expected);
  });

  it("treats a store's custom paid statuses as paid when configured", () => {
    const shipped = (body: JsonRecord) => (body["status"] = "shipped");
    expect(orderWith(shipped).status).toBe("pending");
    expect(orderWith(shipped, { paidStatuses: ["processing", "completed", "shipped"] }).status).toBe("paid");
  });

  it("gives a registered customer's id", () => {
    expect(orderWith((body) => (body["customer_id"] = 42)).customer.platformCustomerId).toBe("42");
  });

  it.each([
    ["line_items[0].total", (body: JsonRecord) => delete at(body, "line_items[0]")["total"]],
    ["line_items[1].quantity", (body: JsonRecord) => (at(body, "line_items[1]")["quantity"] = null)],
    ["line_items[1].subtotal", (body: JsonRecord) => (at(body, "line_items[1]")["subtotal"] = "12,00")],
    ["date_created_gmt", (body: JsonRecord) => delete body["date_created_gmt"]],
    ["currency", (body: JsonRecord) => (body["currency"] = "dollars")],
    ["total", (body: JsonRecord) => delete body["total"]],
  ])("names %s when it is missing or malformed", (field, breakIt) => {
    expect(fieldOfError(() => orderWith(breakIt))).toBe(field);
  });
});

describe("WooCommerce refunds", () => {
  const refunds = () => fixtureJsonList("woocommerce", REFUND_LIST);

  it("normalizes a refund from GET /orders/{id}/refunds, turning negative lines positive", () => {
    expect(normalizeWooCommerceRefund(refunds()[1], { currency: "USD" })).toEqual({
      kind: "refund",
      platform: "woocommerce",
      platformRefundId: "724",
      platformOrderId: "63",
      refundedAt: "2017-03-21T19:55:37.000Z",
      currency: "USD",
      lines: [{ platformLineId: "311", quantity: 1, subtotalMinor: 900n, taxMinor: 0n }],
      shippingMinor: 0n,
      totalMinor: 900n,
    });
  });

  it("normalizes an amount-only refund with no lines", () => {
    expect(normalize("refund.created", refunds()[0], { currency: "USD" })).toMatchObject({
      platformRefundId: "726",
      platformOrderId: "124",
      lines: [],
      totalMinor: 1000n,
    });
  });

  it("takes the order id from the caller when the refund does not state it", () => {
    const single = fixtureText("woocommerce", REFUND);
    expect(normalizeWooCommerceRefund(single, { currency: "USD", orderId: "723" }).platformOrderId).toBe("723");
    expect(fieldOfError(() => normalizeWooCommerceRefund(single, { currency: "USD" }))).toBe("parent_id");
    expect(fieldOfError(() => normalizeWooCommerceRefund(single, { orderId: "723" }))).toBe("currency");
  });

  it("names a refund line without _refunded_item_id", () => {
    const refund = refunds()[1];
    at(refund, "line_items[0]")["meta_data"] = [];
    expect(fieldOfError(() => normalizeWooCommerceRefund(refund, { currency: "USD" }))).toBe("line_items[0].meta_data._refunded_item_id");
  });

  it("lists the refund summaries of an order.updated body", () => {
    const body = fixtureJson("woocommerce", ORDER);
    body["refunds"] = [
      { id: 726, reason: "", total: "-10.00" },
      { id: 730, refund: "damaged", total: "-5.35" },
    ];
    expect(extractWooCommerceRefundSummaries(body)).toEqual({
      platformOrderId: "727",
      currency: "USD",
      refunds: [
        { platformRefundId: "726", reason: null, amountMinor: 1000n },
        { platformRefundId: "730", reason: "damaged", amountMinor: 535n },
      ],
    });
    expect(extractWooCommerceRefundSummaries(fixtureText("woocommerce", ORDER)).refunds).toEqual([]);
  });
});

describe("WooCommerce customers", () => {
  // Shape of GET /wc/v3/customers/{id}, the customer.created webhook body.
  const customer = {
    id: 25,
    date_created: "2017-03-21T16:09:28",
    date_created_gmt: "2017-03-21T19:09:28",
    email: "john.doe@example.com",
    first_name: "John",
    last_name: "Doe",
    role: "customer",
    username: "john.doe",
    billing: { email: "john.doe@example.com" },
    meta_data: [{ id: 1, key: "_upline_ref", value: "JANE01" }],
  };

  it("normalizes customer.created with the referral from meta", () => {
    expect(normalize("customer.created", customer)).toEqual({
      kind: "customer",
      platform: "woocommerce",
      platformCustomerId: "25",
      email: "john.doe@example.com",
      firstName: "John",
      lastName: "Doe",
      referralCode: "JANE01",
      createdAt: "2017-03-21T19:09:28.000Z",
    });
    expect(normalizeWooCommerceCustomer({ ...customer, meta_data: [] }).referralCode).toBeNull();
  });
});

describe("WooCommerce deliveries", () => {
  const raw = fixtureText("woocommerce", ORDER);
  const headers = (topic: string, deliveryId = "039f3155b209b1c591c26f60004d889f") => ({
    "X-WC-Webhook-Topic": topic,
    "X-WC-Webhook-Delivery-ID": deliveryId,
    "X-WC-Webhook-Signature": signHmacSha256Base64(raw, "wc-secret"),
  });

  it("keys a delivery on resource id, topic and date_modified_gmt, not the delivery id", () => {
    expect(eventKey(headers("order.updated"), raw)).toBe("727:order.updated:2017-03-22T19:28:08");
    expect(eventKey(headers("order.updated", "another-delivery"), raw)).toBe(eventKey(headers("order.updated"), raw));
    expect(eventKey(headers("order.created"), raw)).not.toBe(eventKey(headers("order.updated"), raw));
    const later = raw.replace('"date_modified_gmt": "2017-03-22T19:28:08"', '"date_modified_gmt": "2017-03-22T19:30:00"');
    expect(eventKey(headers("order.updated"), later)).toBe("727:order.updated:2017-03-22T19:30:00");
  });

  it("keys bodies without a modification date by their content", () => {
    const deleted = '{"id":727}';
    expect(eventKey(headers("order.deleted"), deleted)).toMatch(/^order\.deleted:sha256:[0-9a-f]{64}$/);
    expect(eventKey(headers("order.deleted"), deleted)).toBe(eventKey(headers("order.deleted", "x"), deleted));
    expect(fieldOfError(() => eventKey({}, deleted))).toBe("headers.x-wc-webhook-topic");
  });

  it("recognizes the unsigned creation ping", () => {
    expect(isWooCommercePing("webhook_id=15")).toBe(true);
    expect(isWooCommercePing(Buffer.from("webhook_id=15\n"))).toBe(true);
    expect(isWooCommercePing(raw)).toBe(false);
  });

  it("reads the topic and checks X-WC-Webhook-Signature", () => {
    expect(topicOf(headers("order.updated"))).toBe("order.updated");
    expect(verifyDelivery(headers("order.updated"), raw, { secrets: ["wc-secret"] })).toBe(true);
    expect(verifyDelivery(headers("order.updated"), `${raw} `, { secrets: ["wc-secret"] })).toBe(false);
    expect(verifyDelivery({ "X-WC-Webhook-Topic": "order.updated" }, raw, { secrets: ["wc-secret"] })).toBe(false);
  });

  it.each([
    ["order.created", "order"],
    ["order.updated", "order"],
    ["order.restored", "order"],
    ["order.deleted", "ignored"],
    ["refund.created", "refund"],
    ["customer.created", "customer"],
    ["customer.updated", "customer"],
    ["customer.deleted", "ignored"],
    ["product.updated", "product"],
    ["coupon.created", "ignored"],
    ["action.woocommerce_order_refunded", "ignored"],
  ])("classifies %s as %s", (topic, expected) => {
    expect(classifyTopic(topic)).toBe(expected);
  });

  it("records product deliveries without normalizing them", () => {
    expect(normalize("product.updated", { id: 93, name: "Woo Single #1" })).toBeNull();
  });
});
