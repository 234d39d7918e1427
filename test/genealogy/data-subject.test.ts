/**
 * Issue 5 data-subject requests, through Shopify's compliance webhooks: customers/data_request stores an export
 * of everything held on the distributor (fetched by REST), customers/redact clears every personal field in the
 * database while the ledger keeps every amount under the distributor's pseudonymous id.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { fixtureText } from "~test/support/platforms/fixtures";
import { orderBody, seedShop } from "../commissions/support";
import { api, customerBody, deliverShopify, settled, startHarness, waitUntil, type Harness } from "./support";
import { TEST_SHOP } from "../support/deliveries";

const CUSTOMER_ID = "7770001234567890123"; // beyond Number.MAX_SAFE_INTEGER, as Shopify ids are
const EMAIL = "zoe.private@example.com";

let harness: Harness;
let zoeId: string;
beforeAll(async () => {
  harness = await startHarness();
  await seedShop();
  await deliverShopify(harness, customerBody(CUSTOMER_ID, EMAIL, "JANE01", "2021-11-01T00:00:00Z"), "customers/create");
  const ref = await waitUntil(() => db().distributorCustomerRef.findFirst({ where: { platformCustomerId: CUSTOMER_ID } }), 20_000, "Zoe enrolled");
  zoeId = ref.distributorId;
  const zoe = await db().distributor.findUniqueOrThrow({ where: { id: zoeId } });
  // Zoe's own order (her e-mail and customer id on it), and another customer's order under her code, which pays her.
  const own = orderBody("6660001", { ref: "JANE01", customerId: CUSTOMER_ID }).replaceAll("jon@example.com", EMAIL).replaceAll("john@example.com", EMAIL);
  await deliverShopify(harness, own, "orders/paid");
  await deliverShopify(harness, orderBody("6660002", { ref: zoe.code }), "orders/paid");
  for (const id of ["6660001", "6660002"]) {
    await waitUntil(() => db().commission.findFirst({ where: { order: { platformOrderId: id } } }), 20_000, `order ${id} computed`);
  }
  await settled();
});
afterAll(async () => {
  await harness?.close();
});

function complianceBody(name: string) {
  return fixtureText("shopify", name)
    .replaceAll("{shop}.myshopify.com", TEST_SHOP) // the body must name the delivery's shop
    .replace('"id": 191167', `"id": ${CUSTOMER_ID}`)
    .replace('"john@example.com"', JSON.stringify(EMAIL))
    .replace(/\[299938, 280263, 220458\]/, "[6660001]");
}

async function ledgerTotals() {
  const rows = await db().$queryRaw<{ account: string; total: bigint; postings: bigint }[]>`
    SELECT "account", sum("amountMinor")::bigint AS total, count(*)::bigint AS postings FROM "LedgerPosting"
    WHERE "shopId" = ${harness.shopId}::uuid GROUP BY "account" ORDER BY "account"`;
  return rows.map((row) => `${row.account}=${row.total}/${row.postings}`);
}

/** Every row of every table in the database, as text, that contains `needle`. */
async function rowsContaining(needle: string) {
  const tables = await db().$queryRaw<{ name: string }[]>`
    SELECT tablename::text AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`;
  const found: string[] = [];
  for (const { name } of tables) {
    const [row] = await db().$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*)::bigint AS n FROM "${name}" t WHERE t::text ILIKE $1`, `%${needle}%`);
    if (row && row.n > 0n) found.push(`${name}: ${row.n}`);
  }
  return found;
}

describe("customers/data_request", () => {
  it("stores an export of everything held on the distributor, served by GET /api/v1/distributors/:id/export", async () => {
    await deliverShopify(harness, complianceBody("customers_data_request.shopify-dev.json"), "customers/data_request");
    await waitUntil(() => db().distributorDataExport.findFirst({ where: { distributorId: zoeId } }), 20_000, "the export");
    const response = await api(harness, `/api/v1/distributors/${zoeId}/export`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.requested_by).toBe("shopify:customers/data_request");
    const data = body.data;
    expect(data.profile).toMatchObject({ id: zoeId, email: EMAIL, name: "Bob Biller" });
    expect(data.customerRefs).toEqual([expect.objectContaining({ platform: "shopify", platformCustomerId: CUSTOMER_ID })]);
    expect(data.sponsorEdges).toHaveLength(1);
    expect(data.orders).toEqual([
      expect.objectContaining({ platformOrderId: "6660001", customerEmail: EMAIL, customerPlatformId: CUSTOMER_ID, relation: "placed" }),
      expect.objectContaining({ platformOrderId: "6660002", relation: "attributed" }),
    ]);
    // The buyer of an order attributed to Zoe is someone else: their e-mail is not in Zoe's export.
    expect(data.orders[1]).not.toHaveProperty("customerEmail");
    expect(data.ledgerEntries.length).toBeGreaterThan(0);
    expect(data.ledgerEntries.every((entry: { amountMinor: string }) => /^-?\d+$/.test(entry.amountMinor))).toBe(true);
  });
});

describe("customers/redact", () => {
  it("clears every personal field in the database and leaves the ledger totals unchanged", async () => {
    const before = await ledgerTotals();
    expect(await rowsContaining(EMAIL)).not.toEqual([]);

    await deliverShopify(harness, complianceBody("customers_redact.shopify-dev.json"), "customers/redact");
    await waitUntil(async () => (await db().distributor.findUniqueOrThrow({ where: { id: zoeId } })).redactedAt, 20_000, "the redaction");
    await settled();

    const zoe = await db().distributor.findUniqueOrThrow({ where: { id: zoeId } });
    expect(zoe).toMatchObject({ email: null, name: null, externalId: null });
    expect(await db().distributorCustomerRef.count({ where: { distributorId: zoeId } })).toBe(0);
    expect(await db().distributorDataExport.count({ where: { distributorId: zoeId } })).toBe(0);
    const order = await db().order.findFirstOrThrow({ where: { platformOrderId: "6660001" } });
    expect(order).toMatchObject({ customerEmail: null, customerPlatformId: null });
    expect((order.normalized as { customer: unknown }).customer).toEqual({ platformCustomerId: null, email: null });

    // Nothing anywhere: no table row mentions the e-mail, the customer id or the name any more.
    expect(await rowsContaining(EMAIL)).toEqual([]);
    expect(await rowsContaining(CUSTOMER_ID)).toEqual([]);
    expect(await rowsContaining("Biller")).toEqual([]);

    // The ledger: the same postings, the same totals per account, Zoe's wallet under her (pseudonymous) id.
    expect(await ledgerTotals()).toEqual(before);
    expect(await db().ledgerPosting.count({ where: { distributorId: zoeId } })).toBeGreaterThan(0);
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: "distributor.redacted", entityId: zoeId } });
    expect(audit.actor).toBe("shopify:customers/redact");
    // The profile still answers, with nothing personal in it.
    const profile = await (await api(harness, `/api/v1/distributors/${zoeId}`)).json();
    expect(profile).toMatchObject({ id: zoeId, email: null, name: null, customers: [] });
    expect(profile.redacted_at).not.toBeNull();
  });
});
