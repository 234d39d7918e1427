import type { ActionFunctionArgs } from "@remix-run/node";
import { ingestShopify } from "~/services/ingest/ingest.server";
import { shopifyIngestDeps } from "~/services/ingest/runtime-deps.server";
import { problem } from "~/services/http/problem.server";

// Shopify's deliveries (every topic in shopify.app.toml). WooCommerce and Magento post to /ingest/:platform/:connectionId.
export const action = async ({ request, params }: ActionFunctionArgs) => {
  if (params.platform !== "shopify") {
    return problem({
      status: 404,
      type: "not-found",
      title: "Not found",
      detail: `Deliveries for "${params.platform}" go to /ingest/${params.platform}/<connection id>.`,
    });
  }
  return ingestShopify(request, shopifyIngestDeps());
};

export const loader = () =>
  problem({ status: 405, type: "method-not-allowed", title: "Method not allowed", detail: "Deliver webhooks with POST." }, { Allow: "POST" });
