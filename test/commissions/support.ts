/**
 * Shared set-up for the commission tests: Shopify's published sample order and refund as they are on the wire,
 * edited per test, and a shop seeded through the product paths (enrollDistributor, createCommissionClass,
 * mapSku, publishPlanVersion) — never hand-written rows.
 */
import { db } from "~/db.server";
import { parseJsonLossless } from "~/domain/platforms/json";
import { record, records } from "~test/support/platforms/json-edit";
import { shopifyWireText } from "~test/support/platforms/fixtures";
import { enrollDistributor } from "~/services/genealogy/enroll.server";
import { changeDistributorStatus } from "~/services/genealogy/status.server";
import { createCommissionClass, mapSku, publishPlanVersion, updateCommissionSettings } from "~/services/commissions/setup.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { TEST_SHOP } from "../support/deliveries";

export const SAMPLE_ORDER_ID = "820982911946154508";
/** The sample's two lines: 1 × 199.00 each, no discount, no tax; 10.00 shipping; placed 2022-01-01T00:00:00Z. */
export const LINE_A = "866550311766439020";
export const LINE_B = "141249953214522974";
export const SAMPLE_CUSTOMER_ID = "115310627314723954";

export interface OrderEdits {
  readonly ref?: string | null;
  readonly sku?: string;
  readonly createdAt?: string;
  readonly updatedAt?: string;
  readonly cancelled?: boolean;
  readonly customerId?: string;
  readonly discountCode?: string;
}

/** The sample order, paid, carrying `upline_ref` as a cart attribute (note_attributes), as orders/paid sends it. */
export function orderBody(orderId: string, edits: OrderEdits = {}): string {
  const ref = edits.ref === undefined ? "JANE01" : edits.ref;
  let text = shopifyWireText("orders_create.sample.trigger-dev.json")
    .replace('"note_attributes": []', ref === null ? '"note_attributes": []' : `"note_attributes": [{"name": "upline_ref", "value": "${ref}"}]`)
    .replaceAll(SAMPLE_ORDER_ID, orderId);
  if (!edits.cancelled) {
    text = text
      .replace('"financial_status": "voided"', '"financial_status": "paid"')
      .replace(/"cancelled_at": "[^"]*"/, '"cancelled_at": null')
      .replace(/"cancel_reason": "[^"]*"/, '"cancel_reason": null');
  }
  if (edits.sku) text = text.replaceAll('"sku": "IPOD2008PINK"', `"sku": "${edits.sku}"`).replaceAll("808950810", "808950999");
  if (edits.createdAt) text = text.replace(/"created_at": "2021-12-31T19:00:00-05:00"/, `"created_at": "${edits.createdAt}"`);
  if (edits.updatedAt) text = text.replace(/"updated_at": "2021-12-31T19:00:00-05:00"/, `"updated_at": "${edits.updatedAt}"`);
  if (edits.customerId) text = text.replaceAll(SAMPLE_CUSTOMER_ID, edits.customerId);
  if (edits.discountCode)
    text = text.replace('"discount_codes": []', `"discount_codes": [{"code": "${edits.discountCode}", "amount": "0.00", "type": "fixed_amount"}]`);
  return text;
}

/**
 * Shopify's sample refund pointed at `orderId`, refunding the given lines (each in full: 199.00), with its own
 * refund id. The body is parsed losslessly and re-serialized, so the 18-digit ids stay exact (as strings).
 */
export function refundBody(orderId: string, refundId: string, lines: readonly string[]): string {
  const refund = record(parseJsonLossless(shopifyWireText("refunds_create.sample.trigger-dev.json").replaceAll(SAMPLE_ORDER_ID, orderId)));
  refund.id = refundId;
  refund.admin_graphql_api_id = `gid://shopify/Refund/${refundId}`;
  refund.refund_line_items = records(refund.refund_line_items).filter((item) =>
    lines.some((line) => String(record(item.line_item).admin_graphql_api_id).endsWith(`/${line}`)),
  );
  return JSON.stringify(refund);
}

export interface SeededShop {
  readonly shopId: string;
  /** Distributor ids by code. */
  readonly ids: Readonly<Record<string, string>>;
}

/**
 * ROOT ← SAM ← MIKE ← JANE01 (enrolled 2021), MIKE inactive since 2021-06-01. Classes: "standard" (the sample's
 * SKU) and "general" (default). Plan v1 from 2021-01-01, a 3-level unilevel with dynamic compression:
 * standard 10 / 5 / 3 %, general 4 / 2 / 1 %. Holds kept far longer than any test runs.
 */
export async function seedShop(): Promise<SeededShop> {
  const shop = await ensureShopifyShop(db(), TEST_SHOP);
  const shopId = shop.id;
  await updateCommissionSettings(db(), shopId, { refundWindowDays: 3_650 }, "test");
  const root = await enrollDistributor(db(), shopId, { code: "ROOT", enrolledAt: "2020-01-01T00:00:00Z", name: "Root" });
  const sam = await enrollDistributor(db(), shopId, { code: "SAM", sponsorCode: "root", enrolledAt: "2021-01-01T00:00:00Z" });
  const mike = await enrollDistributor(db(), shopId, { code: "MIKE", sponsorCode: "SAM", enrolledAt: "2021-02-01T00:00:00Z" });
  const jane = await enrollDistributor(db(), shopId, { code: "jane-01", sponsorCode: "mike", enrolledAt: "2021-03-01T00:00:00Z", email: "jane@example.com" });
  await changeDistributorStatus(db(), shopId, mike.id, { status: "inactive", effectiveFrom: new Date("2021-06-01T00:00:00Z"), actor: "test" });

  await createCommissionClass(db(), shopId, { key: "general", name: "General", isDefault: true });
  await createCommissionClass(db(), shopId, { key: "standard", name: "Standard" });
  await mapSku(db(), shopId, { platform: "shopify", sku: "IPOD2008PINK", classKey: "standard" });
  await publishPlanVersion(db(), shopId, planRules(["10", "5", "3"], ["4", "2", "1"]), "2021-01-01T00:00:00Z", "test");
  return { shopId, ids: { ROOT: root.id, SAM: sam.id, MIKE: mike.id, JANE01: jane.id } };
}

export function planRules(standard: readonly string[], general: readonly string[]) {
  const rates = (percents: readonly string[]) => percents.map((percent) => ({ kind: "percent", percent }));
  return {
    schemaVersion: 1,
    components: [{ type: "unilevel", id: "unilevel", maxDepth: 3, compression: "dynamic", rates: { standard: rates(standard), general: rates(general) } }],
  };
}

/** What each distributor's wallets (pending + available) gained from one order, in minor units, by code. */
export async function walletDeltas(shopId: string, orderId: string): Promise<Record<string, bigint>> {
  const rows = await db().$queryRaw<{ code: string; owed: bigint }[]>`
    SELECT d."code", -sum(p."amountMinor")::bigint AS owed
    FROM "LedgerPosting" p
    JOIN "LedgerTransaction" t ON t."id" = p."transactionId"
    JOIN "Distributor" d ON d."id" = p."distributorId"
    WHERE p."shopId" = ${shopId}::uuid AND t."orderId" = ${orderId}::uuid
    GROUP BY d."code" ORDER BY d."code"`;
  return Object.fromEntries(rows.map((row) => [row.code, row.owed]));
}

export async function ledgerCounts(shopId: string) {
  const [transactions, postings] = await Promise.all([db().ledgerTransaction.count({ where: { shopId } }), db().ledgerPosting.count({ where: { shopId } })]);
  return { transactions, postings };
}

export async function orderRow(shopId: string, platformOrderId: string) {
  return db().order.findFirst({ where: { shopId, platform: "shopify", platformOrderId } });
}
