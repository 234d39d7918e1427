import { describe, expect, it } from "vitest";
import { parseJsonLossless } from "./json";
import { NormalizationError, type NormalizedOrder, type NormalizedRefund } from "./normalized";
import {
  classifyTopic,
  eventKey,
  normalize,
  normalizeShopifyCustomer,
  normalizeShopifyOrder,
  normalizeShopifyRefund,
  shopifyAdapter,
  topicOf,
  verifyDelivery,
} from "./shopify";
import { signHmacSha256Base64 } from "./signatures";
import { SPRING_BASKET, shopifyOrderFor } from "~test/support/platforms/baskets";
import { fixtureJson, fixtureText, shopifyWireText } from "~test/support/platforms/fixtures";
import { at } from "~test/support/platforms/json-edit";

const ORDER = "orders_create.sample.trigger-dev.json";
const REFUND = "refunds_create.sample.trigger-dev.json";
const REST_REFUND = "refund_rest_resource.shopify-api-js-2026-07.json";
const CUSTOMER = "customers_create.sample.trigger-dev.json";

function order(body: unknown, options = {}): NormalizedOrder {
  return normalizeShopifyOrder(body, options);
}

function fieldOfError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof NormalizationError) return error.field;
    throw error;
  }
  throw new Error("expected a NormalizationError");
}

describe("Shopify orders", () => {
  it("normalizes the sample order with its exact 18-digit ids", () => {
    expect(normalize("orders/paid", shopifyWireText(ORDER))).toEqual({
      kind: "order",
      platform: "shopify",
      platformOrderId: "820982911946154508",
      orderNumber: "#9999",
      orderedAt: "2022-01-01T00:00:00.000Z",
      updatedAt: "2022-01-01T00:00:00.000Z",
      status: "cancelled",
      currency: "USD",
      customer: { platformCustomerId: "115310627314723954", email: "jon@example.com" },
      referrals: [],
      discountCodes: [],
      lines: [
        {
          platformLineId: "866550311766439020",
          sku: "IPOD2008PINK",
          platformProductId: "632910392",
          platformVariantId: "808950810",
          title: "IPod Nano - 8GB",
          quantity: 1,
          unitPriceMinor: 19900n,
          discountMinor: 0n,
          taxMinor: 0n,
        },
        {
          platformLineId: "141249953214522974",
          sku: "IPOD2008PINK",
          platformProductId: "632910392",
          platformVariantId: "808950810",
          title: "IPod Nano - 8GB",
          quantity: 1,
          unitPriceMinor: 19900n,
          discountMinor: 0n,
          taxMinor: 0n,
        },
      ],
      shippingMinor: 1000n,
      taxMinor: 0n,
      totalMinor: 38800n,
    });
  });

  it("recovers exact ids from admin_graphql_api_id when the numeric ids were already rounded", () => {
    const normalized = order(fixtureText("shopify", ORDER));
    expect(normalized.platformOrderId).toBe("820982911946154508");
    expect(normalized.lines.map((line) => line.platformLineId)).toEqual(["866550311766439020", "141249953214522974"]);
    expect(normalized.customer.platformCustomerId).toBe("115310627314723954");
  });

  it("refuses a numeric id that JSON.parse already corrupted, rather than key an order on it", () => {
    const body = JSON.parse(shopifyWireText(ORDER)) as Record<string, unknown>;
    delete body["admin_graphql_api_id"];
    expect(() => order(body)).toThrow(/parseJsonLossless/);
    expect(fieldOfError(() => order(body))).toBe("id");
  });

  it("reads the referral from cart attributes first, by key priority, then from discount codes", () => {
    const body = fixtureJson("shopify", ORDER);
    body["note_attributes"] = [
      { name: "gift_note", value: "happy birthday" },
      { name: "referral_code", value: "SECOND" },
      { name: "Ref", value: "  FIRST  " },
      { name: "upline_ref", value: "" },
    ];
    body["discount_codes"] = [{ code: "JANE10", amount: "10.00", type: "fixed_amount" }];
    expect(order(body).referrals).toEqual([
      { code: "FIRST", source: "cart_attribute" },
      { code: "SECOND", source: "cart_attribute" },
      { code: "JANE10", source: "discount_code" },
    ]);
    expect(order(body).discountCodes).toEqual(["JANE10"]);
    expect(order(body, { referralKeys: ["referral_code"] }).referrals[0]).toEqual({ code: "SECOND", source: "cart_attribute" });
  });

  it("sums discount allocations (which include order-level shares) and tax lines per line", () => {
    const body = fixtureJson("shopify", ORDER);
    const line = at(body, "line_items[1]");
    line["discount_allocations"] = [
      { amount: "5.00", discount_application_index: 0, amount_set: { shop_money: { amount: "5.00", currency_code: "USD" } } },
      { amount: "3.33", discount_application_index: 1, amount_set: { shop_money: { amount: "3.33", currency_code: "USD" } } },
    ];
    line["tax_lines"] = [
      { title: "State", price: "11.24", rate: 0.06 },
      { title: "City", price: "1.91", rate: 0.01 },
    ];
    const normalized = order(body).lines[1];
    expect(normalized?.discountMinor).toBe(833n);
    expect(normalized?.taxMinor).toBe(1315n);
    expect(normalized?.unitPriceMinor).toBe(19900n);
  });

  it("uses the shop currency bag, not the buyer's presentment currency", () => {
    const body = fixtureJson("shopify", ORDER);
    at(body, "line_items[0].price_set")["presentment_money"] = { amount: "180.00", currency_code: "EUR" };
    expect(order(body).lines[0]?.unitPriceMinor).toBe(19900n);
    at(body, "line_items[0].price_set.shop_money")["currency_code"] = "EUR";
    expect(fieldOfError(() => order(body))).toBe("line_items[0].price_set.shop_money.currency_code");
  });

  it("splits the tax out of tax-inclusive prices", () => {
    const inclusive = order(shopifyOrderFor(SPRING_BASKET, { taxesIncluded: true }));
    const exclusive = order(shopifyOrderFor(SPRING_BASKET));
    expect(inclusive.lines.map(({ unitPriceMinor, discountMinor, taxMinor }) => ({ unitPriceMinor, discountMinor, taxMinor }))).toEqual([
      { unitPriceMinor: 2500n, discountMinor: 500n, taxMinor: 360n },
      { unitPriceMinor: 3000n, discountMinor: 300n, taxMinor: 216n },
    ]);
    expect(inclusive.lines).toEqual(exclusive.lines);
    expect(inclusive.totalMinor).toBe(exclusive.totalMinor);
  });

  it("keeps the net exact when a tax-inclusive unit price does not split evenly", () => {
    const body = fixtureJson("shopify", ORDER);
    body["taxes_included"] = true;
    const line = at(body, "line_items[0]");
    line["quantity"] = 3;
    line["price"] = "9.99";
    delete line["price_set"];
    line["tax_lines"] = [{ title: "VAT", price: "4.99", rate: 0.2 }];
    line["discount_allocations"] = [{ amount: "0.01", discount_application_index: 0 }];
    const normalized = order(body).lines[0];
    // Gross 29.97 − 0.01 discount − 4.99 tax leaves a net of exactly 24.97.
    expect(normalized?.unitPriceMinor).toBe(833n);
    expect(BigInt(normalized?.quantity ?? 0) * (normalized?.unitPriceMinor ?? 0n) - (normalized?.discountMinor ?? 0n)).toBe(2497n);
  });

  it.each([
    ["paid", null, "paid"],
    ["partially_refunded", null, "partially_refunded"],
    ["refunded", null, "refunded"],
    ["voided", null, "cancelled"],
    ["authorized", null, "pending"],
    ["pending", null, "pending"],
    ["paid", "2022-01-02T10:00:00-05:00", "cancelled"],
  ])("maps financial_status %s (cancelled_at %s) to %s", (financialStatus, cancelledAt, expected) => {
    const body = fixtureJson("shopify", ORDER);
    body["financial_status"] = financialStatus;
    body["cancelled_at"] = cancelledAt;
    expect(order(body).status).toBe(expected);
  });

  it.each([
    ["line_items[1].quantity", (body: Record<string, unknown>) => delete at(body, "line_items[1]")["quantity"]],
    ["line_items[0].quantity", (body: Record<string, unknown>) => (at(body, "line_items[0]")["quantity"] = "two")],
    ["line_items[0].quantity", (body: Record<string, unknown>) => (at(body, "line_items[0]")["quantity"] = 1.5)],
    ["line_items[0].price_set.shop_money.amount", (body: Record<string, unknown>) => (at(body, "line_items[0].price_set.shop_money")["amount"] = "1,99")],
    [
      "line_items[0].price",
      (body: Record<string, unknown>) => {
        const line = at(body, "line_items[0]");
        delete line["price"];
        delete line["price_set"];
      },
    ],
    ["line_items", (body: Record<string, unknown>) => delete body["line_items"]],
    ["currency", (body: Record<string, unknown>) => delete body["currency"]],
    ["created_at", (body: Record<string, unknown>) => (body["created_at"] = "yesterday")],
    [
      "total_price",
      (body: Record<string, unknown>) => {
        delete body["total_price"];
        delete body["total_price_set"];
      },
    ],
  ])("names %s when it is missing or malformed", (field, breakIt) => {
    const body = fixtureJson("shopify", ORDER);
    breakIt(body);
    expect(fieldOfError(() => order(body))).toBe(field);
  });

  it("ignores fields it does not know", () => {
    const body = fixtureJson("shopify", ORDER);
    body["brand_new_field"] = { anything: [1, 2, 3] };
    at(body, "line_items[0]")["future_flag"] = true;
    expect(order(body)).toEqual(order(fixtureJson("shopify", ORDER)));
  });

  it("reports malformed JSON as a NormalizationError on the body", () => {
    expect(fieldOfError(() => order('{"id": 1,'))).toBe("(body)");
  });
});

describe("Shopify refunds", () => {
  it("normalizes refunds/create lines onto the order's exact line ids", () => {
    const refund = normalize("refunds/create", shopifyWireText(REFUND), { deliveredAt: "2022-01-02T12:00:00Z" });
    expect(refund).toEqual<NormalizedRefund>({
      kind: "refund",
      platform: "shopify",
      platformRefundId: "890088186047892319",
      platformOrderId: "820982911946154508",
      refundedAt: "2022-01-02T12:00:00.000Z",
      currency: "USD",
      lines: [
        { platformLineId: "866550311766439020", quantity: 1, subtotalMinor: 19900n, taxMinor: 0n },
        { platformLineId: "141249953214522974", quantity: 1, subtotalMinor: 19900n, taxMinor: 0n },
      ],
      shippingMinor: 0n,
      totalMinor: 39800n,
    });
  });

  it("needs a timestamp: the payload's, else the delivery's", () => {
    expect(fieldOfError(() => normalizeShopifyRefund(shopifyWireText(REFUND)))).toBe("created_at");
  });

  it("takes the total from successful refund transactions (REST refund resource)", () => {
    expect(normalizeShopifyRefund(fixtureText("shopify", REST_REFUND))).toEqual<NormalizedRefund>({
      kind: "refund",
      platform: "shopify",
      platformRefundId: "929361472",
      platformOrderId: "450789469",
      refundedAt: "2025-04-02T16:38:34.000Z",
      currency: "USD",
      lines: [{ platformLineId: "518995019", quantity: 1, subtotalMinor: 0n, taxMinor: 0n }],
      shippingMinor: 0n,
      totalMinor: 4194n,
      // Returned beyond its parts (the line refunded 0.00): reversed in proportion to the order.
      unattributedMinor: 4194n,
    });
  });

  it("ignores failed transactions and falls back to the refunded parts", () => {
    const body = fixtureJson("shopify", REST_REFUND);
    at(body, "transactions[0]")["status"] = "failure";
    expect(normalizeShopifyRefund(body).totalMinor).toBe(0n);
  });

  it("reads refunded shipping from refund_shipping_lines (API 2024-10+)", () => {
    const body = fixtureJson("shopify", REFUND);
    body["created_at"] = "2022-01-02T07:00:00-05:00";
    body["refund_shipping_lines"] = [
      {
        id: 1,
        shipping_line_id: 271878346596884000,
        subtotal_amount_set: { shop_money: { amount: "10.00", currency_code: "USD" } },
        tax_amount_set: { shop_money: { amount: "0.80", currency_code: "USD" } },
      },
    ];
    const refund = normalizeShopifyRefund(body);
    expect(refund.shippingMinor).toBe(1000n);
    expect(refund.totalMinor).toBe(39800n + 1080n);
  });

  it("reads refunded shipping from shipping_refund order adjustments (older versions), as a positive amount", () => {
    const body = fixtureJson("shopify", REFUND);
    body["created_at"] = "2022-01-02T07:00:00-05:00";
    body["order_adjustments"] = [
      { id: 1, kind: "shipping_refund", amount: "-8.00", tax_amount: "0.00", amount_set: { shop_money: { amount: "-8.00", currency_code: "USD" } } },
      { id: 2, kind: "refund_discrepancy", amount: "-1.00", tax_amount: "0.00" },
    ];
    expect(normalizeShopifyRefund(body).shippingMinor).toBe(800n);
  });

  it("splits tax out of line subtotals when the order's prices included tax", () => {
    const body = fixtureJson("shopify", REFUND);
    const item = at(body, "refund_line_items[0]");
    item["subtotal"] = "107.99";
    item["subtotal_set"] = { shop_money: { amount: "107.99", currency_code: "USD" } };
    item["total_tax"] = "8.00";
    item["total_tax_set"] = { shop_money: { amount: "8.00", currency_code: "USD" } };
    const options = { deliveredAt: "2022-01-02T12:00:00Z", taxesIncluded: true };
    expect(normalizeShopifyRefund(body, options).lines[0]).toMatchObject({ subtotalMinor: 9999n, taxMinor: 800n });
  });

  it("names a missing refund line quantity", () => {
    const body = fixtureJson("shopify", REFUND);
    delete at(body, "refund_line_items[1]")["quantity"];
    expect(fieldOfError(() => normalizeShopifyRefund(body, { deliveredAt: "2022-01-02T12:00:00Z" }))).toBe("refund_line_items[1].quantity");
  });

  it("needs a currency when no money bag states one", () => {
    const refund = { id: 1, order_id: 2, created_at: "2025-01-01T00:00:00Z", refund_line_items: [] };
    expect(fieldOfError(() => normalizeShopifyRefund(refund))).toBe("currency");
    expect(normalizeShopifyRefund(refund, { currency: "cad" }).currency).toBe("CAD");
  });
});

describe("Shopify customers", () => {
  const customer = (edit: (body: Record<string, unknown>) => void = () => {}) => {
    const body = fixtureJson("shopify", CUSTOMER);
    edit(body);
    return normalizeShopifyCustomer(body);
  };

  it("normalizes customers/create with the exact id", () => {
    expect(normalize("customers/create", shopifyWireText(CUSTOMER))).toEqual({
      kind: "customer",
      platform: "shopify",
      platformCustomerId: "706405506930370084",
      email: "bob@biller.com",
      firstName: "Bob",
      lastName: "Biller",
      referralCode: null,
      createdAt: "2022-01-01T00:00:00.000Z",
    });
  });

  it.each([
    ["a ref: tag", { tags: "vip, ref:JANE01, wholesale" }, "JANE01"],
    ["an upline_ref tag with spaces", { tags: "upline_ref : JANE-02" }, "JANE-02"],
    ["a labelled note line", { note: "Met at the spring fair\nupline_ref = JANE03" }, "JANE03"],
    ["a metafield, before tags", { tags: "ref:TAGGED", metafields: [{ namespace: "upline", key: "upline_ref", value: "META01" }] }, "META01"],
    ["a tag, before the note", { tags: "ref:TAGGED", note: "ref: NOTED" }, "TAGGED"],
    ["prose in the note", { note: "ref: see the email thread" }, null],
    ["an unrelated tag", { tags: "referral-program" }, null],
  ])("reads the sign-up referral from %s", (_case, fields, expected) => {
    expect(customer((body) => Object.assign(body, fields)).referralCode).toBe(expected);
  });

  it("uses the delivery time when the sample has no created_at", () => {
    const body = fixtureJson("shopify", CUSTOMER);
    body["created_at"] = null;
    expect(normalizeShopifyCustomer(body, { deliveredAt: "2026-01-01T00:00:00Z" }).createdAt).toBe("2026-01-01T00:00:00.000Z");
    expect(fieldOfError(() => normalizeShopifyCustomer(body))).toBe("created_at");
  });
});

describe("Shopify topics", () => {
  it.each([
    ["orders/paid", "order"],
    ["ORDERS_PAID", "order"],
    ["orders/updated", "order"],
    ["orders/cancelled", "order"],
    ["orders/create", "order"],
    ["orders/edited", "ignored"],
    ["refunds/create", "refund"],
    ["REFUNDS_CREATE", "refund"],
    ["customers/create", "customer"],
    ["customers/update", "customer"],
    ["products/update", "product"],
    ["app/uninstalled", "app"],
    ["APP_SCOPES_UPDATE", "app"],
    ["customers/data_request", "compliance"],
    ["CUSTOMERS_REDACT", "compliance"],
    ["shop/redact", "compliance"],
    ["collections/update", "ignored"],
  ])("classifies %s as %s", (topic, expected) => {
    expect(classifyTopic(topic)).toBe(expected);
  });

  it.each([
    ["products/update", "products_update.shopify-dev-delivery-structure-example.json"],
    ["app/uninstalled", "app_uninstalled.sample.trigger-dev.json"],
    ["customers/data_request", "customers_data_request.shopify-dev.json"],
    ["customers/redact", "customers_redact.shopify-dev.json"],
    ["shop/redact", "shop_redact.shopify-dev.json"],
  ])("records %s without normalizing it", (topic, fixture) => {
    expect(normalize(topic, fixtureText("shopify", fixture))).toBeNull();
  });
});

describe("Shopify deliveries", () => {
  const headers = {
    "X-Shopify-Topic": "orders/paid",
    "X-Shopify-Webhook-Id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
    "X-Shopify-Event-Id": "98880550-7158-44d4-b7cd-2c97c8a091b5",
    "X-Shopify-Hmac-Sha256": signHmacSha256Base64(shopifyWireText(ORDER), "app-secret"),
  };

  it("keys a delivery on X-Shopify-Webhook-Id, whatever the header case or container", () => {
    expect(eventKey(headers)).toBe("b54557e4-bdd9-4b37-8a5f-bf7d70bcd043");
    expect(eventKey({ "x-shopify-webhook-id": "abc" })).toBe("abc");
    expect(eventKey(new Headers({ "X-Shopify-Webhook-Id": "abc" }))).toBe("abc");
    expect(eventKey({ "shopify-webhook-id": "events-style" })).toBe("events-style");
  });

  it("does not merge two topics of one merchant action (same event id, different webhook ids)", () => {
    const updated = { ...headers, "X-Shopify-Topic": "orders/updated", "X-Shopify-Webhook-Id": "c1f1f0b2-0000-4000-8000-000000000001" };
    expect(eventKey(updated)).not.toBe(eventKey(headers));
  });

  it("fails clearly without a webhook id", () => {
    expect(fieldOfError(() => eventKey({ "X-Shopify-Event-Id": "x" }))).toBe("headers.x-shopify-webhook-id");
  });

  it("reads the topic and checks the signature of the raw body", () => {
    expect(topicOf(headers)).toBe("orders/paid");
    expect(verifyDelivery(headers, shopifyWireText(ORDER), { secrets: ["app-secret"] })).toBe(true);
    expect(verifyDelivery(headers, shopifyWireText(ORDER), { secrets: ["wrong"] })).toBe(false);
    expect(verifyDelivery(headers, shopifyWireText(ORDER).replace("199.00", "1.00"), { secrets: ["app-secret"] })).toBe(false);
  });

  it("exposes the same functions through the adapter object", () => {
    const raw = shopifyWireText(ORDER);
    expect(shopifyAdapter.normalize("orders/paid", raw)).toEqual(normalize("orders/paid", parseJsonLossless(raw)));
    expect(shopifyAdapter.eventKey(headers, raw)).toBe(eventKey(headers));
  });
});
