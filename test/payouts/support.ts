/**
 * Payout tests build balances through the product's own paths: a shop seeded like test/commissions (enroll,
 * classes, SKU mappings, a published plan), signed orders/paid and refunds/create deliveries through the ingest
 * route, the hold release, and the REST API for payout settings and methods.
 *
 * Plan v1 (3-level unilevel, dynamic compression): fixed amounts per unit so balances come out round —
 *   standard (IPOD2008PINK): level 1 3.50, level 2 4.50  → the sample order (2 units) pays 7.00 and 9.00
 *   big (BIG):               level 1 25.00               → 50.00 per order
 *   small (SMALL):           level 1 15.00               → 30.00 per order
 *   euro (EURO):             level 1 10 %                → 39.80 EUR on the sample order sent in EUR
 * Tree: ROOT ← SAM ← MIKE (inactive, compressed) ← JANE01; ROOT ← NET01, MULTI, PAY1, PAY2, PAY3, STR1, STR2.
 */
import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { db } from "~/db.server";
import { createApiToken } from "~/services/api/tokens.server";
import { releaseDueHolds } from "~/services/commissions/holds.server";
import { createCommissionClass, mapSku, publishPlanVersion, updateCommissionSettings } from "~/services/commissions/setup.server";
import { enrollDistributor } from "~/services/genealogy/enroll.server";
import { changeDistributorStatus } from "~/services/genealogy/status.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { orderBody, orderRow } from "../commissions/support";
import { shopifyDelivery, TEST_SHOP, waitUntil } from "../support/deliveries";

export const CODES = ["ROOT", "SAM", "MIKE", "JANE01", "NET01", "MULTI", "PAY1", "PAY2", "PAY3", "STR1", "STR2"] as const;
export type Code = (typeof CODES)[number];

export interface PayoutShop {
  readonly shopId: string;
  readonly ids: Readonly<Record<Code, string>>;
  readonly token: string;
}

const fixed = (amountMinor: string) => ({ kind: "fixed_per_unit", amountMinor, currency: "USD" });
const percent = (value: string) => ({ kind: "percent", percent: value });

export async function seedPayoutShop(): Promise<PayoutShop> {
  const { id: shopId } = await ensureShopifyShop(db(), TEST_SHOP);
  await updateCommissionSettings(db(), shopId, { refundWindowDays: 3_650 }, "test");
  const ids: Record<string, string> = {};
  ids.ROOT = (await enrollDistributor(db(), shopId, { code: "ROOT", enrolledAt: "2020-01-01T00:00:00Z", name: "Root" })).id;
  ids.SAM = (await enrollDistributor(db(), shopId, { code: "SAM", sponsorCode: "ROOT", enrolledAt: "2021-01-01T00:00:00Z" })).id;
  ids.MIKE = (await enrollDistributor(db(), shopId, { code: "MIKE", sponsorCode: "SAM", enrolledAt: "2021-02-01T00:00:00Z" })).id;
  ids.JANE01 = (
    await enrollDistributor(db(), shopId, { code: "JANE01", sponsorCode: "MIKE", enrolledAt: "2021-03-01T00:00:00Z", name: "Jane", email: "jane@example.com" })
  ).id;
  for (const code of ["NET01", "MULTI", "PAY1", "PAY2", "PAY3", "STR1", "STR2"]) {
    ids[code] = (
      await enrollDistributor(db(), shopId, {
        code,
        sponsorCode: "ROOT",
        enrolledAt: "2021-03-01T00:00:00Z",
        name: `Name ${code}`,
        email: `${code.toLowerCase()}@example.com`,
      })
    ).id;
  }
  await changeDistributorStatus(db(), shopId, ids.MIKE, { status: "inactive", effectiveFrom: new Date("2021-06-01T00:00:00Z"), actor: "test" });
  await createCommissionClass(db(), shopId, { key: "general", name: "General", isDefault: true });
  for (const [key, sku] of [
    ["standard", "IPOD2008PINK"],
    ["big", "BIG"],
    ["small", "SMALL"],
    ["euro", "EURO"],
  ] as const) {
    await createCommissionClass(db(), shopId, { key, name: key });
    await mapSku(db(), shopId, { platform: "shopify", sku, classKey: key });
  }
  const zero = fixed("0");
  await publishPlanVersion(
    db(),
    shopId,
    {
      schemaVersion: 1,
      components: [
        {
          type: "unilevel",
          id: "unilevel",
          maxDepth: 3,
          compression: "dynamic",
          rates: {
            general: [percent("0"), percent("0"), percent("0")],
            standard: [fixed("350"), fixed("450"), zero],
            big: [fixed("2500"), zero, zero],
            small: [fixed("1500"), zero, zero],
            euro: [percent("10"), percent("0"), percent("0")],
          },
        },
      ],
    },
    "2021-01-01T00:00:00Z",
    "test",
  );
  const token = (await createApiToken(db(), shopId, "payouts test", ["payouts:read", "payouts:write", "ledger:read"])).token;
  return { shopId, ids: ids as Record<Code, string>, token };
}

/** An orders/paid delivery of the sample order (2 units) referred by `ref`, with the SKU of `sku`, in `currency`. */
export async function deliverOrder(baseUrl: string, shopId: string, orderId: string, ref: string, sku = "IPOD2008PINK", currency = "USD") {
  let body = orderBody(orderId, { ref, ...(sku === "IPOD2008PINK" ? {} : { sku }) });
  if (currency !== "USD") body = body.replaceAll('"USD"', `"${currency}"`);
  await deliver(baseUrl, body, "orders/paid");
  const order = await waitUntil(() => orderRow(shopId, orderId), 20_000, `order ${orderId}`);
  await waitUntil(() => db().commission.findFirst({ where: { shopId, orderId: order.id } }), 20_000, `the commission of ${orderId}`);
  return order;
}

export async function deliver(baseUrl: string, body: string, topic: string) {
  const response = await fetch(`${baseUrl}/ingest/shopify`, shopifyDelivery(body, { topic, webhookId: randomUUID() }));
  expect(response.status).toBe(200);
}

/** Past every hold (orders of 2022 are held 3,650 days): pending → available. */
export function releaseAll(shopId: string) {
  return releaseDueHolds(db(), { now: new Date("2032-01-01T00:00:00Z"), shopId });
}

export function api(baseUrl: string, token: string) {
  return async (method: "GET" | "POST", path: string, body?: unknown, idempotencyKey: string | null = randomUUID()) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
    if (method === "POST") {
      headers["Content-Type"] = "application/json";
      if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body: method === "POST" ? JSON.stringify(body ?? {}) : undefined });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: response.status, body: json as Record<string, unknown> & Record<string, never>, text, headers: response.headers };
  };
}

/** What the shop owes on a distributor's available wallet per currency, in minor units. */
export async function available(shopId: string, distributorId: string): Promise<Record<string, bigint>> {
  const rows = await db().$queryRaw<{ currency: string; owed: bigint }[]>`
    SELECT "currency", -sum("amountMinor")::bigint AS owed FROM "LedgerPosting"
    WHERE "shopId" = ${shopId}::uuid AND "distributorId" = ${distributorId}::uuid AND "accountKind" = 'wallet_available'
    GROUP BY "currency" ORDER BY "currency"`;
  return Object.fromEntries(rows.map((row) => [row.currency, row.owed]));
}

/** The sum of postings per shop account kind (clearing, cash), per currency. */
export async function accountSums(shopId: string, kind: "payouts_clearing" | "payouts_cash"): Promise<Record<string, bigint>> {
  const rows = await db().$queryRaw<{ currency: string; total: bigint }[]>`
    SELECT "currency", sum("amountMinor")::bigint AS total FROM "LedgerPosting"
    WHERE "shopId" = ${shopId}::uuid AND "accountKind" = ${kind} GROUP BY "currency" ORDER BY "currency"`;
  return Object.fromEntries(rows.map((row) => [row.currency, row.total]));
}
