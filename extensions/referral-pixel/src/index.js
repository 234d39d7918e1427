// Upline referral pixel: glue between Shopify's Web Pixels API and src/report.ts (built by the Shopify CLI).
import { register } from "@shopify/web-pixels-extension";
import { referralReport, reportUrl } from "./report";

register(({ analytics, browser, init, settings }) => {
  const endpoint = reportUrl(settings.appUrl);
  if (!endpoint) return;
  analytics.subscribe("checkout_completed", async (event) => {
    try {
      const cookieCode = await browser.cookie.get("upline_ref");
      const report = referralReport(event, init.data.shop && init.data.shop.myShopifyDomain, cookieCode);
      if (!report) return;
      // A text/plain body keeps this a simple CORS request (no preflight); keepalive lets it outlive the page.
      await fetch(endpoint, { method: "POST", body: JSON.stringify(report), keepalive: true });
    } catch {
      // A pixel must never disturb the checkout; the order webhook still carries any cart attribute.
    }
  });
});
