/**
 * The OpenAPI 3.1 document of /api/v1, served at /api/v1/openapi.json. Request bodies, query parameters and
 * the response bodies that have a schema are generated (zod 4's z.toJSONSchema) from the same zod schemas the
 * routes validate and answer with, so the document cannot drift from what the API does; tests walk the
 * document against the running routes (test/api/openapi.test.ts).
 */
import { z } from "zod";
import { apiOrderSchema } from "~/domain/platforms/api-order";
import { apiCancelSchema, apiRefundSchema } from "~/domain/platforms/api-refund";
import { orderCommissionsQuery, orderCommissionsResponse } from "~/services/api/order-commissions.server";
import { apiCancelAcceptedSchema, apiRefundAcceptedSchema } from "~/services/api/order-refunds.server";
import { reconciliationQuery, reconciliationResponse } from "~/services/commissions/reconciliation-report.server";
import {
  createDistributorBody,
  createdDistributorResponse,
  distributorExportResponse,
  distributorListResponse,
  distributorResponse,
  downlineQuery,
  downlineResponse,
  listQuery as distributorListQuery,
  moveBody,
  moveResponse,
  statusBody,
  uplineQuery,
  uplineResponse,
} from "~/services/api/distributors.server";
import { distributorLedgerResponse, ledgerQuerySchema } from "~/services/api/distributor-ledger.server";
import {
  closeBodySchema,
  closeResponse,
  detailQuerySchema as periodDetailQuery,
  listQuerySchema as periodListQuery,
  periodDetailResponse,
  periodListResponse,
  reopenBodySchema,
  reopenResponse,
} from "~/services/api/periods.server";
import { whatIfBodySchema, whatIfResponse } from "~/services/periods/what-if.server";
import { apiOrderAcceptedSchema } from "./orders.server";
import { backfillAcceptedSchema, backfillBodySchema } from "./backfills.server";
import { catalogQuery } from "./catalog-variants.server";
import { problemSchema } from "./problem-schema";
import {
  approvedRunResponse,
  cancelledRunResponse,
  confirmationResponse,
  createdRunResponse,
  distributorPayoutsResponse,
  markPaidResponse,
  payoutItemListResponse,
  payoutMethodResponse,
  payoutPreviewResponse,
  payoutRunListResponse,
  payoutSettingsResponse,
  confirmationBody,
  createRunBody,
  distributorPayoutsQuery,
  emptyBody,
  markPaidBody,
  payoutItemsQuery,
  payoutMethodBody,
  payoutPreviewQuery,
  payoutRunListQuery,
  payoutSettingsBody,
  taxFormBody,
} from "~/services/payouts/api.server";
import { taxReportQuery } from "~/services/payouts/tax-report.server";
import { API_SCOPES, type ApiScope } from "./tokens.server";
import { publishPlanBody } from "./plans.server";
import { commissionClassBody, skuMappingBody, skuMappingListQuery } from "./catalog.server";
import { discountCodeBody, discountCodeListQuery } from "./discount-codes.server";
import { couponBody, couponResponse } from "./affiliate-coupons.server";
import { settingsBody } from "./settings.server";
import { connectionBody } from "./connections.server";

interface Operation {
  readonly method: "get" | "post" | "put" | "delete";
  readonly path: string;
  readonly summary: string;
  readonly scope: ApiScope;
  readonly body?: z.ZodType;
  /** The zod object the route parses its query string with: every key is a documented parameter. */
  readonly query?: z.ZodObject;
  /** The success status and, where the route builds its body from a zod schema, that schema. */
  readonly success?: {
    readonly status: number;
    readonly schema?: z.ZodType;
    /** Another success status answered with the same schema. */ readonly alsoStatus?: number;
  };
  /** POSTs that honour `Idempotency-Key` (Stripe's semantics). */
  readonly idempotent?: boolean;
}

const OPERATIONS: readonly Operation[] = [
  {
    method: "post",
    path: "/api/v1/orders",
    summary: "Submit an order from any source (seed or custom platform); processed like a webhook.",
    scope: "orders:write",
    body: apiOrderSchema,
    idempotent: true,
    success: { status: 202, schema: apiOrderAcceptedSchema },
  },
  {
    method: "post",
    path: "/api/v1/orders/{id}/refunds",
    summary: "Refund an API order (lines, an amount, shipping); reversed like a platform refund, once per refund_id.",
    scope: "orders:write",
    body: apiRefundSchema,
    idempotent: true,
    success: { status: 202, schema: apiRefundAcceptedSchema },
  },
  {
    method: "post",
    path: "/api/v1/orders/{id}/cancel",
    summary: "Cancel an API order: every commission still standing is reversed.",
    scope: "orders:write",
    body: apiCancelSchema,
    idempotent: true,
    success: { status: 202, schema: apiCancelAcceptedSchema },
  },
  {
    method: "post",
    path: "/api/v1/backfills",
    summary:
      "Import the shop's Shopify orders updated since a date through the Admin API (bulk operation for large ranges); each order version is stored once, whatever webhooks delivered.",
    scope: "orders:write",
    body: backfillBodySchema,
    idempotent: true,
    success: { status: 202, schema: backfillAcceptedSchema },
  },
  {
    method: "get",
    path: "/api/v1/orders/{id}/commissions",
    summary: "The commission lines of one order, each with the calc snapshot that explains it.",
    scope: "orders:read",
    query: orderCommissionsQuery,
    success: { status: 200, schema: orderCommissionsResponse },
  },
  {
    method: "get",
    path: "/api/v1/distributors",
    summary: "Distributors of the shop, newest first; search by code, name or e-mail.",
    scope: "distributors:read",
    query: distributorListQuery,
    success: { status: 200, schema: distributorListResponse },
  },
  {
    method: "post",
    path: "/api/v1/distributors",
    summary: "Create (enroll) a distributor; the same external id or e-mail twice is one person.",
    scope: "distributors:write",
    body: createDistributorBody,
    idempotent: true,
    success: { status: 201, schema: createdDistributorResponse, alsoStatus: 200 },
  },
  {
    method: "get",
    path: "/api/v1/distributors/{id}",
    summary: "One distributor (id or referral code): profile, sponsor, placement, rank.",
    scope: "distributors:read",
    success: { status: 200, schema: distributorResponse },
  },
  {
    method: "get",
    path: "/api/v1/distributors/{id}/upline",
    summary: "The sponsor upline as of an instant, with status and paid-as rank.",
    scope: "distributors:read",
    query: uplineQuery,
    success: { status: 200, schema: uplineResponse },
  },
  {
    method: "get",
    path: "/api/v1/distributors/{id}/downline",
    summary: "Downline by level with counts and volumes, one keyset page of members.",
    scope: "distributors:read",
    query: downlineQuery,
    success: { status: 200, schema: downlineResponse },
  },
  {
    method: "post",
    path: "/api/v1/distributors/{id}/moves",
    summary: "Move a distributor to another sponsor or placement from an instant, with a reason; cycles refused.",
    scope: "distributors:write",
    body: moveBody,
    idempotent: true,
    success: { status: 201, schema: moveResponse },
  },
  {
    method: "post",
    path: "/api/v1/distributors/{id}/status",
    summary: "Change a distributor's status from an instant, with a reason.",
    scope: "distributors:write",
    body: statusBody,
    idempotent: true,
    success: { status: 200, schema: distributorResponse },
  },
  {
    method: "get",
    path: "/api/v1/distributors/{id}/export",
    summary: "Everything held on one distributor (data subject request).",
    scope: "distributors:read",
    success: { status: 200, schema: distributorExportResponse },
  },
  {
    method: "get",
    path: "/api/v1/distributors/{id}/ledger",
    summary: "Balances (pending, available) and wallet entries, newest first.",
    scope: "ledger:read",
    query: ledgerQuerySchema,
    success: { status: 200, schema: distributorLedgerResponse },
  },
  {
    method: "get",
    path: "/api/v1/reconciliation",
    summary: "Expected commissions (recomputed from snapshots) against the ledger for one day; any delta itemized.",
    scope: "ledger:read",
    query: reconciliationQuery,
    success: { status: 200, schema: reconciliationResponse },
  },
  {
    method: "get",
    path: "/api/v1/periods",
    summary: "Commission periods with status and totals.",
    scope: "periods:read",
    query: periodListQuery,
    success: { status: 200, schema: periodListResponse },
  },
  {
    method: "post",
    path: "/api/v1/periods/close",
    summary: "Close a period: binary, ranks, bonuses, thresholds; closing twice changes nothing.",
    scope: "periods:write",
    body: closeBodySchema,
    idempotent: true,
    success: { status: 200, schema: closeResponse },
  },
  {
    method: "get",
    path: "/api/v1/periods/{id}",
    summary: "One period with its lines and close snapshot summary.",
    scope: "periods:read",
    query: periodDetailQuery,
    success: { status: 200, schema: periodDetailResponse },
  },
  {
    method: "post",
    path: "/api/v1/periods/{id}/reopen",
    summary: "Re-open a closed period (audited, reason required); the next close posts corrections only.",
    scope: "periods:write",
    body: reopenBodySchema,
    idempotent: true,
    success: { status: 200, schema: reopenResponse },
  },
  { method: "get", path: "/api/v1/plans", summary: "Every plan version, newest first, with its rules and which one is in force now.", scope: "plans:read" },
  {
    method: "post",
    path: "/api/v1/plans",
    summary: "Publish the next plan version from effective_from (default now); validated like the admin page, each bad field a 422 naming it.",
    scope: "plans:write",
    body: publishPlanBody,
    idempotent: true,
    success: { status: 201 },
  },
  { method: "get", path: "/api/v1/commission-classes", summary: "The commission classes plans pay on, with how many SKUs map to each.", scope: "catalog:read" },
  {
    method: "post",
    path: "/api/v1/commission-classes",
    summary: "Create a class (201), or rename / change the volume of the one with that key (200).",
    scope: "catalog:write",
    body: commissionClassBody,
    idempotent: true,
  },
  {
    method: "get",
    path: "/api/v1/sku-mappings",
    summary: "SKU and variant mappings to classes, one keyset page.",
    scope: "catalog:read",
    query: skuMappingListQuery,
  },
  {
    method: "post",
    path: "/api/v1/sku-mappings",
    summary: "Map a platform SKU or variant id to a class; mapping it again moves it.",
    scope: "catalog:write",
    body: skuMappingBody,
    idempotent: true,
  },
  {
    method: "delete",
    path: "/api/v1/sku-mappings/{id}",
    summary: "Remove a mapping: its lines fall back to the default class from then on.",
    scope: "catalog:write",
    idempotent: true,
  },
  {
    method: "get",
    path: "/api/v1/catalog",
    summary: "The shop's Shopify variants (SKU, titles, tags) for the SKU → class picker, searched by SKU, title or tag.",
    scope: "catalog:read",
    query: catalogQuery,
  },
  {
    method: "get",
    path: "/api/v1/discount-codes",
    summary: "Discount codes that stand for a distributor, by code.",
    scope: "distributors:read",
    query: discountCodeListQuery,
  },
  {
    method: "post",
    path: "/api/v1/discount-codes",
    summary: "Map a discount code to a distributor (id or referral code); mapping it again moves it.",
    scope: "distributors:write",
    body: discountCodeBody,
    idempotent: true,
  },
  {
    method: "get",
    path: "/api/v1/distributors/{id}/coupon",
    summary: "The affiliate's personal coupon in Shopify (code, percent off, status).",
    scope: "distributors:read",
    success: { status: 200, schema: couponResponse },
  },
  {
    method: "post",
    path: "/api/v1/distributors/{id}/coupon",
    summary:
      "Create the affiliate's personal coupon in Shopify (discountCodeBasicCreate) and map it to them for attribution; once: 201 when created, 200 with the same coupon afterwards. Disabled while the affiliate is not active, deleted when redacted.",
    scope: "distributors:write",
    body: couponBody,
    idempotent: true,
    success: { status: 201, schema: couponResponse, alsoStatus: 200 },
  },
  {
    method: "get",
    path: "/api/v1/settings",
    summary: "Referral link settings, commission base and hold window (in force now, and every dated change), payout threshold and schedule.",
    scope: "settings:read",
  },
  {
    method: "put",
    path: "/api/v1/settings",
    summary: "Change the settings named; commission changes apply from commission.effective_from (default now, never in the past). Every change is audited.",
    scope: "settings:write",
    body: settingsBody,
    idempotent: true,
  },
  {
    method: "get",
    path: "/api/v1/connections",
    summary: "Connected WooCommerce and Magento stores with their ingest URL (never the secret).",
    scope: "connections:read",
  },
  {
    method: "post",
    path: "/api/v1/connections",
    summary: "Connect a WooCommerce or Magento store: answers the ingest URL and the webhook secret, shown this once.",
    scope: "connections:write",
    body: connectionBody,
    idempotent: true,
    success: { status: 201 },
  },
  {
    method: "post",
    path: "/api/v1/plans/what-if",
    summary: "Evaluate a draft plan version against orders without writing anything.",
    scope: "plans:read",
    body: whatIfBodySchema,
    success: { status: 200, schema: whatIfResponse },
  },
  {
    method: "get",
    path: "/api/v1/payout-runs",
    summary: "Payout runs, newest first, with status, totals and per-status progress.",
    scope: "payouts:read",
    query: payoutRunListQuery,
    success: { status: 200, schema: payoutRunListResponse },
  },
  {
    method: "post",
    path: "/api/v1/payout-runs",
    summary: "Create a draft run from the preview as of now (one item per distributor and currency).",
    scope: "payouts:write",
    body: createRunBody,
    idempotent: true,
    success: { status: 201, schema: createdRunResponse },
  },
  {
    method: "get",
    path: "/api/v1/payout-runs/preview",
    summary: "Who would be paid what now, and who is held back and why.",
    scope: "payouts:read",
    query: payoutPreviewQuery,
    success: { status: 200, schema: payoutPreviewResponse },
  },
  {
    method: "post",
    path: "/api/v1/payout-runs/{id}/approve",
    summary: "Approve a draft run: each item moves from the available wallet to payouts clearing; the worker pays it.",
    scope: "payouts:write",
    body: emptyBody,
    idempotent: true,
    success: { status: 200, schema: approvedRunResponse },
  },
  {
    method: "post",
    path: "/api/v1/payout-runs/{id}/cancel",
    summary: "Cancel a draft or approved run; approved items are reversed to the available wallets.",
    scope: "payouts:write",
    body: emptyBody,
    idempotent: true,
    success: { status: 200, schema: cancelledRunResponse },
  },
  {
    method: "get",
    path: "/api/v1/payout-runs/{id}/items",
    summary: "The run's items with status, provider reference and attempts.",
    scope: "payouts:read",
    query: payoutItemsQuery,
    success: { status: 200, schema: payoutItemListResponse },
  },
  { method: "get", path: "/api/v1/payout-runs/{id}/export.csv", summary: "The run's bank file (text/csv, streamed; bank items only).", scope: "payouts:read" },
  {
    method: "post",
    path: "/api/v1/payout-runs/{id}/confirmations",
    summary: "Import the bank's confirmation CSV of the run's bank file: paid rows settle, failed rows reverse.",
    scope: "payouts:write",
    body: confirmationBody,
    idempotent: true,
    success: { status: 200, schema: confirmationResponse },
  },
  {
    method: "post",
    path: "/api/v1/payout-items/{id}/mark-paid",
    summary: "Mark a bank item paid (or failed) outside the app.",
    scope: "payouts:write",
    body: markPaidBody,
    idempotent: true,
    success: { status: 200, schema: markPaidResponse },
  },
  {
    method: "get",
    path: "/api/v1/distributors/{id}/payouts",
    summary: "A distributor's payout method (without its details) and payout items.",
    scope: "payouts:read",
    query: distributorPayoutsQuery,
    success: { status: 200, schema: distributorPayoutsResponse },
  },
  {
    method: "post",
    path: "/api/v1/distributors/{id}/payout-method",
    summary: "Set how a distributor is paid (PayPal e-mail, Stripe account, store credit, bank); details are never returned.",
    scope: "payouts:write",
    body: payoutMethodBody,
    idempotent: true,
    success: { status: 200, schema: payoutMethodResponse },
  },
  {
    method: "post",
    path: "/api/v1/distributors/{id}/tax-form",
    summary: "Set the payee's US tax form (W-9) status: collected or not (the form itself stays outside the app).",
    scope: "payouts:write",
    body: taxFormBody,
    idempotent: true,
  },
  {
    method: "get",
    path: "/api/v1/payouts/tax-report.csv",
    summary:
      "Year-end tax report (text/csv): paid totals per payee, method and currency; payees at or over the 1099-NEC threshold by bank or store credit flagged, with their tax form status.",
    scope: "payouts:read",
    query: taxReportQuery,
  },
  {
    method: "get",
    path: "/api/v1/payout-settings",
    summary: "Minimum payout (shop and per method), schedule and auto-approve.",
    scope: "payouts:read",
    success: { status: 200, schema: payoutSettingsResponse },
  },
  {
    method: "post",
    path: "/api/v1/payout-settings",
    summary: "Replace the shop's payout settings.",
    scope: "payouts:write",
    body: payoutSettingsBody,
    idempotent: true,
    success: { status: 200, schema: payoutSettingsResponse },
  },
];

const PROBLEM = { $ref: "#/components/schemas/Problem" };

function requestSchema(schema: z.ZodType): Record<string, unknown> {
  // Input side: what a caller sends (before transforms such as instant → Date). The $schema line is dropped:
  // OpenAPI 3.1's dialect is the document's own.
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return json;
}

function responseSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }) as Record<string, unknown>;
  return json;
}

function queryParameters(query: z.ZodObject | undefined) {
  if (!query) return [];
  const json = requestSchema(query) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => ({ name, in: "query", required: json.required?.includes(name) ?? false, schema }));
}

function operationObject(operation: Operation) {
  const pathParameters = [...operation.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    schema: { type: "string" },
    description: name === "id" ? "Our id, or for distributors their referral code." : undefined,
  }));
  const idempotencyHeader = operation.idempotent
    ? [
        {
          name: "Idempotency-Key",
          in: "header",
          required: false,
          schema: { type: "string", maxLength: 255 },
          description: "Same key and body: the stored response. Same key, other body: 422. Still running: 409.",
        },
      ]
    : [];
  const success = {
    description: "OK",
    content: { "application/json": { schema: operation.success?.schema ? responseSchema(operation.success.schema) : { type: "object" } } },
  };
  return {
    summary: operation.summary,
    security: [{ bearer: [operation.scope] }],
    parameters: [...pathParameters, ...queryParameters(operation.query), ...idempotencyHeader],
    ...(operation.body || operation.method === "post" || operation.method === "put"
      ? { requestBody: { required: true, content: { "application/json": { schema: operation.body ? requestSchema(operation.body) : { type: "object" } } } } }
      : {}),
    responses: {
      [operation.success ? String(operation.success.status) : operation.method === "post" ? "2XX" : "200"]: success,
      ...(operation.success?.alsoStatus ? { [String(operation.success.alsoStatus)]: success } : {}),
      "4XX": {
        description: "A problem (RFC 9457): invalid input, missing or insufficient token, not found, conflict.",
        content: { "application/problem+json": { schema: PROBLEM } },
      },
      "5XX": {
        description: "A problem (RFC 9457): 503 with Retry-After while the database is unreachable; 500 with an error_id that is in our logs.",
        content: { "application/problem+json": { schema: PROBLEM } },
      },
    },
  };
}

export function openApiDocument(serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of OPERATIONS) (paths[operation.path] ??= {})[operation.method] = operationObject(operation);
  return {
    openapi: "3.1.0",
    info: {
      title: "Upline API",
      version: "1",
      description:
        "Orders, distributors, genealogy, ledger, periods and plans of one shop. Authenticate with `Authorization: Bearer upl_…` (a shop's API token with scopes).",
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: `Scopes: ${API_SCOPES.join(", ")}.` } },
      schemas: {
        Problem: responseSchema(problemSchema),
      },
    },
  };
}

/** For the drift test: every documented (method, path). */
export const DOCUMENTED_OPERATIONS = OPERATIONS.map(({ method, path, scope }) => ({ method, path, scope }));
