import { describe, expect, it } from "vitest";
import { referralReport, reportUrl } from "./src/report";

const completed = (orderId: string | null, attributes: { key: string; value: string }[] = []) => ({
  data: { checkout: { order: orderId === null ? null : { id: orderId }, attributes } },
});

describe("the referral pixel's report", () => {
  it("sends the checkout's own cart attribute first, else the referral cookie", () => {
    expect(referralReport(completed("5001", [{ key: "upline_ref", value: "JANE01" }]), "s.myshopify.com", "SAM")).toEqual({
      shop: "s.myshopify.com",
      order_id: "5001",
      code: "JANE01",
    });
    expect(referralReport(completed("5001"), "s.myshopify.com", "SAM")).toEqual({ shop: "s.myshopify.com", order_id: "5001", code: "SAM" });
  });

  it("sends nothing without an order id, a shop or a well-formed code", () => {
    expect(referralReport(completed(null), "s.myshopify.com", "SAM")).toBeNull();
    expect(referralReport(completed("5001"), null, "SAM")).toBeNull();
    expect(referralReport(completed("5001"), "s.myshopify.com", undefined)).toBeNull();
    expect(referralReport(completed("5001", [{ key: "upline_ref", value: "<script>" }]), "s.myshopify.com", "bad code")).toBeNull();
  });

  it("posts only to the app's https URL", () => {
    expect(reportUrl("https://upline.example.com")).toBe("https://upline.example.com/pixel/shopify");
    expect(reportUrl("http://upline.example.com")).toBeNull();
    expect(reportUrl("not a url")).toBeNull();
    expect(reportUrl(undefined)).toBeNull();
  });
});
