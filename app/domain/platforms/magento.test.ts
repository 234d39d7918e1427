import { createHash, createSign, generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  classifyTopic,
  eventKey,
  magentoAdapter,
  normalize,
  normalizeMagentoCreditMemo,
  normalizeMagentoCustomer,
  normalizeMagentoOrder,
  topicOf,
  verifyDelivery,
} from "./magento";
import { NormalizationError, type NormalizedOrder, type NormalizedRefund } from "./normalized";
import { signHmacSha256Base64 } from "./signatures";
import { fixtureJson, fixtureText } from "~test/support/platforms/fixtures";
import { at, records, type JsonRecord } from "~test/support/platforms/json-edit";

const ORDER = "order-3.rest-v1.get-orders-id.docs.json";
const CREDIT_MEMO = "creditmemo-1.rest-v1.get-creditmemo-id.kb-docs.json";
const ENVELOPE = "io-events.envelope.catalog_product_save_commit_after.docs.json";

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
  const body = fixtureJson("magento", ORDER);
  edit(body);
  return normalizeMagentoOrder(body, options);
}

/** The order as an Adobe I/O sales_order_save_after event, shaped like the event reference (no entity_id). */
function ioEvent(order: JsonRecord): JsonRecord {
  const envelope = fixtureJson("magento", ENVELOPE);
  delete order["entity_id"];
  return { ...envelope, type: "com.adobe.commerce.observer.sales_order_save_after", data: { ...at(envelope, "data"), value: order } };
}

describe("Magento orders", () => {
  it("normalizes the docs' order 3, counting only top-level items", () => {
    const normalized = normalize("sales_order_save_after", fixtureText("magento", ORDER));
    expect(normalized).toEqual<NormalizedOrder>({
      kind: "order",
      platform: "magento",
      platformOrderId: "3",
      orderNumber: "000000003",
      orderedAt: "2017-08-21T22:22:19.000Z",
      updatedAt: "2017-08-21T22:22:20.000Z",
      status: "pending",
      currency: "USD",
      customer: { platformCustomerId: "3", email: "jdoe@example.com" },
      referrals: [],
      discountCodes: [],
      lines: [
        line("3", "WS12-M-Orange", "1553", null, "Radiant Tee-M-Orange", 2200n),
        line("4", "240-LV08", "49", null, "Advanced Pilates & Yoga (Strength)", 1800n),
        line("5", "24-WG080-24-WG084-24-WG088-24-WG082-blue-24-WG086", "51", null, "Sprite Yoga Companion Kit", 6800n),
        line("10", "MH01-S-Gray", "67", "56", "Chaz Kangeroo Hoodie", 5200n),
      ],
      shippingMinor: 500n,
      taxMinor: 0n,
      totalMinor: 16500n,
    });
    // The top-level items add up to the order's subtotal (160); all rows would double-count the bundle.
    const lines = (normalized as NormalizedOrder).lines;
    expect(lines.reduce((sum, l) => sum + BigInt(l.quantity) * l.unitPriceMinor, 0n)).toBe(16000n);
  });

  it("reads the same order from an Adobe I/O envelope and from a Commerce webhook", () => {
    const bare = normalizeMagentoOrder(fixtureText("magento", ORDER));
    expect(normalize("com.adobe.commerce.observer.sales_order_save_after", ioEvent(fixtureJson("magento", ORDER)))).toEqual(bare);
    const webhook = { eventName: "observer.sales_order_save_after", data: { order: fixtureJson("magento", ORDER) } };
    expect(normalize("observer.sales_order_save_after", webhook)).toEqual(bare);
  });

  it("names fields inside the envelope by their real path", () => {
    const order = fixtureJson("magento", ORDER);
    delete at(order, "items[2]")["qty_ordered"];
    expect(fieldOfError(() => normalizeMagentoOrder(ioEvent(order)))).toBe("data.value.items[2].qty_ordered");
  });

  it("uses the order currency, not the base currency", () => {
    const order = orderWith((body) => {
      Object.assign(body, { order_currency_code: "EUR", base_to_order_rate: 0.9, grand_total: 148.5, shipping_amount: 4.5 });
      Object.assign(at(body, "items[0]"), { price: 19.8, row_total: 19.8, base_price: 22, base_row_total: 22 });
    });
    expect(order.currency).toBe("EUR");
    expect(order.lines[0]?.unitPriceMinor).toBe(1980n);
    expect(order.totalMinor).toBe(14850n);
    expect(order.shippingMinor).toBe(450n);
  });

  it("takes item discounts as positive amounts without their hidden tax", () => {
    const order = orderWith((body) => {
      Object.assign(at(body, "items[0]"), { discount_amount: 5.5, discount_tax_compensation_amount: 0.5, tax_amount: 1.6 });
      Object.assign(body, { discount_amount: -5.5, shipping_discount_amount: 1 });
    });
    expect(order.lines[0]).toMatchObject({ unitPriceMinor: 2200n, discountMinor: 500n, taxMinor: 160n });
    expect(order.shippingMinor).toBe(400n);
  });

  it("reads the referral from extension attributes, then custom attributes, then the coupon", () => {
    const order = orderWith((body) => {
      body["coupon_code"] = "JANE10";
      at(body, "extension_attributes")["upline_ref"] = "EXT01";
      body["custom_attributes"] = [{ attribute_code: "upline_ref", value: "CUSTOM01" }];
    });
    expect(order.referrals).toEqual([
      { code: "EXT01", source: "extension_attribute" },
      { code: "CUSTOM01", source: "extension_attribute" },
      { code: "JANE10", source: "discount_code" },
    ]);
    expect(order.discountCodes).toEqual(["JANE10"]);
    const renamed = orderWith((body) => (at(body, "extension_attributes")["mlm_sponsor"] = "SPONSOR"), { referralKeys: ["mlm_sponsor"] });
    expect(renamed.referrals).toEqual([{ code: "SPONSOR", source: "extension_attribute" }]);
  });

  it.each([
    ["new", 0, "pending"],
    ["pending_payment", 0, "pending"],
    ["processing", 0, "paid"],
    ["complete", 0, "paid"],
    ["complete", 20, "partially_refunded"],
    ["closed", 165, "refunded"],
    ["canceled", 0, "cancelled"],
    ["holded", 0, "pending"],
  ])("maps state %s (refunded %s) to %s", (state, totalRefunded, expected) => {
    expect(orderWith((body) => Object.assign(body, { state, total_refunded: totalRefunded })).status).toBe(expected);
  });

  it("has no customer id for guest checkouts", () => {
    expect(orderWith((body) => Object.assign(body, { customer_is_guest: 1, customer_id: null })).customer).toEqual({
      platformCustomerId: null,
      email: "jdoe@example.com",
    });
  });

  it.each([
    ["items[0].qty_ordered", (body: JsonRecord) => delete at(body, "items[0]")["qty_ordered"]],
    ["items[7].price", (body: JsonRecord) => (at(body, "items[7]")["price"] = "fifty")],
    ["items", (body: JsonRecord) => delete body["items"]],
    ["order_currency_code", (body: JsonRecord) => delete body["order_currency_code"]],
    ["grand_total", (body: JsonRecord) => delete body["grand_total"]],
    ["created_at", (body: JsonRecord) => (body["created_at"] = "21/08/2017")],
  ])("names %s when it is missing or malformed", (field, breakIt) => {
    expect(fieldOfError(() => orderWith(breakIt))).toBe(field);
  });

  it("needs an order id from entity_id or the items", () => {
    const order = fixtureJson("magento", ORDER);
    delete order["entity_id"];
    for (const item of records(order["items"])) delete item["order_id"];
    expect(fieldOfError(() => normalizeMagentoOrder(order))).toBe("entity_id");
  });
});

function line(id: string, sku: string, productId: string, variantId: string | null, title: string, unitPriceMinor: bigint) {
  return {
    platformLineId: id,
    sku,
    platformProductId: productId,
    platformVariantId: variantId,
    title,
    quantity: 1,
    unitPriceMinor,
    discountMinor: 0n,
    taxMinor: 0n,
  };
}

describe("Magento credit memos", () => {
  it("normalizes the KB credit memo", () => {
    expect(normalize("sales_order_creditmemo_save_after", fixtureText("magento", CREDIT_MEMO))).toEqual<NormalizedRefund>({
      kind: "refund",
      platform: "magento",
      platformRefundId: "1",
      platformOrderId: "1",
      refundedAt: "2021-04-05T23:43:45.000Z",
      currency: "USD",
      lines: [{ platformLineId: "1", quantity: 1, subtotalMinor: 10000n, taxMinor: 0n }],
      shippingMinor: 500n,
      totalMinor: 10500n,
    });
  });

  it("drops unrefunded rows and the children of configurable or bundle items", () => {
    const memo = fixtureJson("magento", CREDIT_MEMO);
    const template = records(memo["items"])[0];
    memo["items"] = [
      { ...template, entity_id: 1, order_item_id: 10, qty: 1, row_total: 52, discount_amount: 2, tax_amount: 4 },
      { ...template, entity_id: 2, order_item_id: 11, qty: 1, row_total: 0, parent_item_id: 10 },
      { ...template, entity_id: 3, order_item_id: 5, qty: 1, row_total: 68 },
      { ...template, entity_id: 4, order_item_id: 6, qty: 1, row_total: 27 },
      { ...template, entity_id: 5, order_item_id: 3, qty: 0, row_total: 0 },
    ];
    const lines = normalizeMagentoCreditMemo(memo, { orderLineIds: ["3", "4", "5", "10"] }).lines;
    expect(lines).toEqual([
      { platformLineId: "10", quantity: 1, subtotalMinor: 5000n, taxMinor: 400n },
      { platformLineId: "5", quantity: 1, subtotalMinor: 6800n, taxMinor: 0n },
    ]);
    // Without the order's line ids, a bundle child the payload does not mark stays in; refunds match by line id.
    expect(normalizeMagentoCreditMemo(memo).lines.map((l) => l.platformLineId)).toEqual(["10", "5", "6"]);
  });

  it("reads an Adobe I/O credit memo event, which has no entity_id", () => {
    const memo = fixtureJson("magento", CREDIT_MEMO);
    delete memo["entity_id"];
    const event = { type: "com.adobe.commerce.observer.sales_order_creditmemo_save_after", data: { value: memo } };
    expect(normalize(String(event.type), event)).toMatchObject({ platformRefundId: "1", platformOrderId: "1", totalMinor: 10500n });
  });

  it("names a missing order item reference", () => {
    const memo = fixtureJson("magento", CREDIT_MEMO);
    delete at(memo, "items[0]")["order_item_id"];
    expect(fieldOfError(() => normalizeMagentoCreditMemo(memo))).toBe("items[0].order_item_id");
  });
});

describe("Magento customers", () => {
  // Shape of GET /V1/customers/{id}.
  const customer = {
    id: 3,
    group_id: 1,
    created_at: "2017-08-21 22:20:00",
    email: "jdoe@example.com",
    firstname: "Jane",
    lastname: "Doe",
    store_id: 1,
    website_id: 1,
    custom_attributes: [{ attribute_code: "upline_ref", value: "JANE01" }],
  };

  it("normalizes a customer with the referral attribute", () => {
    expect(normalize("customer_save_after", customer)).toEqual({
      kind: "customer",
      platform: "magento",
      platformCustomerId: "3",
      email: "jdoe@example.com",
      firstName: "Jane",
      lastName: "Doe",
      referralCode: "JANE01",
      createdAt: "2017-08-21T22:20:00.000Z",
    });
  });

  it("accepts the event data's entity_id and no referral", () => {
    const { id: _id, custom_attributes: _attributes, ...rest } = customer;
    expect(normalizeMagentoCustomer({ data: { value: { ...rest, entity_id: 3 } } })).toMatchObject({
      platformCustomerId: "3",
      referralCode: null,
    });
  });
});

describe("Magento deliveries", () => {
  const envelopeText = fixtureText("magento", ENVELOPE);

  it("keys Adobe I/O events on their event id", () => {
    expect(eventKey({}, envelopeText)).toBe("event:b0f2b088-5490-4d16-9ce9-0cb1fb3e5ed0");
  });

  it("keys other deliveries by the SHA-256 of the body", () => {
    const body = fixtureText("magento", ORDER);
    expect(eventKey({}, body)).toBe(`sha256:${createHash("sha256").update(body).digest("hex")}`);
    expect(eventKey({}, Buffer.from(body))).toBe(eventKey({}, body));
    expect(eventKey({}, body.replace('"updated_at": "2017-08-21 22:22:20"', '"updated_at": "2017-08-21 22:30:00"'))).not.toBe(eventKey({}, body));
  });

  it.each([
    ["com.adobe.commerce.observer.sales_order_save_after", "order"],
    ["observer.sales_order_save_after", "order"],
    ["sales_order_save_after", "order"],
    ["sales_order_place_after", "order"],
    ["com.adobe.commerce.observer.sales_order_creditmemo_save_after", "refund"],
    ["customer_save_after", "customer"],
    ["com.adobe.commerce.observer.catalog_product_save_commit_after", "product"],
    ["plugin.magento.sales.api.order_management.place", "ignored"],
    ["sales_order_invoice_save_after", "ignored"],
  ])("classifies %s as %s", (topic, expected) => {
    expect(classifyTopic(topic)).toBe(expected);
  });

  it("reads the topic from our module's header or the envelope", () => {
    expect(topicOf({ "X-Upline-Topic": "sales_order_save_after" }, {})).toBe("sales_order_save_after");
    expect(topicOf({}, fixtureJson("magento", ENVELOPE))).toBe("com.adobe.commerce.observer.catalog_product_save_commit_after");
    expect(topicOf({}, { eventName: "observer.sales_order_save_after" })).toBe("observer.sales_order_save_after");
    expect(topicOf({}, "not parsed")).toBeNull();
  });

  it("records product events without normalizing them", () => {
    expect(magentoAdapter.normalize("com.adobe.commerce.observer.catalog_product_save_commit_after", envelopeText)).toBeNull();
  });

  it("checks Adobe I/O signatures against the configured keys, and our module's HMAC otherwise", () => {
    const keys = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
    });
    const signature = createSign("RSA-SHA256").update(envelopeText).sign(keys.privateKey, "base64");
    const adobe = { "x-adobe-digital-signature-1": "stale", "x-adobe-digital-signature-2": signature };
    expect(verifyDelivery(adobe, envelopeText, { publicKeysPem: [keys.publicKey] })).toBe(true);
    expect(verifyDelivery(adobe, `${envelopeText}\n`, { publicKeysPem: [keys.publicKey] })).toBe(false);
    expect(verifyDelivery(adobe, envelopeText, { secrets: ["secret"] })).toBe(false);

    const moduleHeaders = { "X-Upline-Hmac-Sha256": signHmacSha256Base64(envelopeText, "connection-secret") };
    expect(verifyDelivery(moduleHeaders, envelopeText, { secrets: ["connection-secret"] })).toBe(true);
    expect(verifyDelivery(moduleHeaders, envelopeText, { secrets: ["other"] })).toBe(false);
  });
});
