import { describe, expect, it } from "vitest";
import { magentoAdapter } from "./magento";
import { fixtureJson, repositoryText } from "~test/support/platforms/fixtures";

/** The signed vector the Magento module's own tests use (extensions/magento-module/test/signature-vector.json). */
const vector = JSON.parse(repositoryText("extensions/magento-module/test/signature-vector.json")) as {
  secret: string;
  body: string;
  signature: string;
};

function moduleEnvelope(event: string, data: unknown): string {
  return JSON.stringify({ event, event_id: `${event}-42-abc`, created_at: "2026-11-22T12:00:05Z", store_base_url: "https://shop.example/", data });
}

describe("deliveries from Upline's Magento module", () => {
  it("verifies X-Upline-Signature with the connection secret, and refuses a tampered body", () => {
    const headers = { "X-Upline-Topic": "order.placed", "X-Upline-Signature": vector.signature };
    expect(magentoAdapter.verifyDelivery(headers, vector.body, { secrets: [vector.secret] })).toBe(true);
    expect(magentoAdapter.verifyDelivery(headers, vector.body.replace("160", "1600"), { secrets: [vector.secret] })).toBe(false);
    expect(magentoAdapter.verifyDelivery(headers, vector.body, { secrets: ["another-secret"] })).toBe(false);
  });

  it("reads the topic from X-Upline-Topic and dedupes on the module's event_id", () => {
    expect(magentoAdapter.topicOf({ "x-upline-topic": "creditmemo.created" }, {})).toBe("creditmemo.created");
    expect(magentoAdapter.classifyTopic("order.placed")).toBe("order");
    expect(magentoAdapter.classifyTopic("order.invoiced")).toBe("order");
    expect(magentoAdapter.classifyTopic("creditmemo.created")).toBe("refund");
    expect(magentoAdapter.eventKey({}, vector.body)).toBe("event:order-3-order.placed-22b8672b72aba2a6");
  });

  it("normalizes the enveloped order exactly as the bare REST order", () => {
    const order = fixtureJson("magento", "order-3.rest-v1.get-orders-id.docs.json");
    const fromModule = magentoAdapter.normalize("order.placed", moduleEnvelope("order.placed", order));
    const fromRest = magentoAdapter.normalize("sales_order_save_after", JSON.stringify(order));
    expect(fromModule).toEqual(fromRest);
    expect(fromModule?.kind).toBe("order");
  });

  it("normalizes an enveloped credit memo as a refund", () => {
    const memo = fixtureJson("magento", "creditmemo-1.rest-v1.get-creditmemo-id.kb-docs.json");
    const refund = magentoAdapter.normalize("creditmemo.created", moduleEnvelope("creditmemo.created", memo), { deliveredAt: "2026-11-22T12:00:05Z" });
    expect(refund?.kind).toBe("refund");
    expect(refund).toEqual(magentoAdapter.normalize("sales_order_creditmemo_save_after", JSON.stringify(memo), { deliveredAt: "2026-11-22T12:00:05Z" }));
  });
});
