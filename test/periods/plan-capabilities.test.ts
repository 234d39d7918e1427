/**
 * Issue 11's period capabilities end to end: a binary that pays on the strong-minus-weak difference with a
 * maximum number of cycles per period, closed through POST /api/v1/periods/close and read back through
 * GET /api/v1/periods/:id. The shop, its binary placement and its plan come through the product's paths; the
 * orders arrive as signed Shopify webhooks (each Shopify sample order: 398.00, 398 points of PV).
 *
 *   placement        ROOT: left ALPHA (left CHARLIE, right DELTA), right BRAVO
 *   March orders     CHARLIE refers two (796 points), BRAVO one (398 points)
 *   binary           cycles of 100 points on the difference, 10.00 a cycle, at most 2 cycles a period, flush
 *     ROOT   left 796, right 398 → D = 398 → 3 cycles formed, 2 paid: 20.00, 10.00 breakage
 *     ALPHA  left 796, right 0   → D = 796 → 7 cycles formed, 2 paid: 20.00, 50.00 breakage
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "~/db.server";
import { createApiToken } from "~/services/api/tokens.server";
import { createCommissionClass, publishPlanVersion, updateCommissionSettings } from "~/services/commissions/setup.server";
import { enrollDistributor } from "~/services/genealogy/enroll.server";
import { updateGenealogySettings } from "~/services/genealogy/settings.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { orderBody, orderRow } from "../commissions/support";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, waitUntil } from "../support/deliveries";
import { firstPeriodJobDone } from "./support";

const app = runAppAndWorkers();
const domain = "period-capabilities.myshopify.com";
let shopId: string;
let token: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  await firstPeriodJobDone();
  shopId = (await ensureShopifyShop(db(), domain)).id;
  await updateCommissionSettings(db(), shopId, { refundWindowDays: 3_650 }, "test");
  await updateGenealogySettings(db(), shopId, { placement: { kind: "binary", spillover: { kind: "breadth-first" } } }, "test");
  for (const [code, sponsorCode, day] of [
    ["ROOT", null, 1],
    ["ALPHA", "ROOT", 2],
    ["BRAVO", "ROOT", 3],
    ["CHARLIE", "ALPHA", 4],
    ["DELTA", "ALPHA", 5],
  ] as const) {
    ids[code] = (await enrollDistributor(db(), shopId, { code, sponsorCode, enrolledAt: `2026-01-0${day}T00:00:00Z` })).id;
  }
  await createCommissionClass(db(), shopId, { key: "general", name: "General", isDefault: true });
  await publishPlanVersion(
    db(),
    shopId,
    {
      schemaVersion: 1,
      period: { schedule: "monthly" },
      components: [
        { type: "unilevel", id: "unilevel", maxDepth: 1, compression: "dynamic", rates: { general: [{ kind: "percent", percent: "10" }] } },
        {
          type: "binary",
          id: "binary",
          volume: "pv",
          pairVolume: "100",
          payout: { kind: "per_pair", amountMinor: "1000", currency: "USD" },
          firstPair: "1:1",
          carry: { mode: "flush" },
          basis: "strong_minus_weak",
          maxCyclesPerPeriod: 2,
        },
      ],
    },
    "2026-01-01T00:00:00Z",
    "test",
  );
  token = (await createApiToken(db(), shopId, "periods", ["periods:read", "periods:write"])).token;
  for (const [orderId, ref] of [
    ["11101", "CHARLIE"],
    ["11102", "CHARLIE"],
    ["11103", "BRAVO"],
  ] as const) {
    const response = await fetch(
      `${app.server.url}/ingest/shopify`,
      shopifyDelivery(orderBody(orderId, { ref, createdAt: "2026-03-05T10:00:00Z" }), { webhookId: randomUUID(), shop: domain }),
    );
    expect(response.status).toBe(200);
    const order = await waitUntil(() => orderRow(shopId, orderId), 20_000, `order ${orderId}`);
    await waitUntil(() => db().commission.findFirst({ where: { shopId, orderId: order.id } }), 20_000, `the commission of ${orderId}`);
  }
});

const close = (periodStart: string) =>
  fetch(`${app.server.url}/api/v1/periods/close`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Idempotency-Key": randomUUID() },
    body: JSON.stringify({ period_start: periodStart }),
  });

describe("a binary paying on the difference with a maximum of 2 cycles, closed through the REST API", () => {
  it("pays each distributor at most 2 cycles of the stronger leg's excess", async () => {
    for (const start of ["2026-01-01", "2026-02-01"]) expect((await close(start)).status).toBe(200);
    const march = await close("2026-03-01");
    expect(march.status).toBe(200);
    const closed = (await march.json()) as { period: { id: string }; summary: { totalMinor: string; breakageMinor: string } };
    expect(closed.summary).toMatchObject({ totalMinor: "4000", breakageMinor: "6000" });

    const detail = await fetch(`${app.server.url}/api/v1/periods/${closed.period.id}`, { headers: { Authorization: `Bearer ${token}` } });
    const body = (await detail.json()) as { lines: { distributor_id: string; rule: string; amount: unknown; detail: unknown }[] };
    const usd = (minor: string, amount: string) => ({ amount_minor: minor, amount, currency: "USD" });
    expect(
      body.lines.map((line) => [line.distributor_id, line.rule, line.amount, line.detail]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual(
      [
        [ids.ROOT, "binary", usd("2000", "20.00"), { type: "binary", pairs: 3, pairedHundredths: "30000", earnedMinor: "3000" }],
        [ids.ALPHA, "binary", usd("2000", "20.00"), { type: "binary", pairs: 7, pairedHundredths: "70000", earnedMinor: "7000" }],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  });
});

/**
 * The paycut through the same paths: a 10% / 5% unilevel capped at 12.5% of the period's sales. One sample
 * order (398.00) referred by JANE01 pays JANE01 39.80 and SAM 19.90 = 59.70 at order time; the cap is
 * 12.5% × 398.00 = 49.75, so March's close cuts 9.95 by 2 : 1 — JANE01 6.633… → 6.63, SAM 3.316… → 3.31,
 * the cent left to the larger remainder (SAM): JANE01 −6.63, SAM −3.32, posted as new negative entries.
 */
describe("a paycut at 12.5% of the period's sales, closed through the REST API", () => {
  const paycutDomain = "period-paycut.myshopify.com";
  let paycutShop: string;
  let paycutToken: string;
  const people: Record<string, string> = {};

  beforeAll(async () => {
    paycutShop = (await ensureShopifyShop(db(), paycutDomain)).id;
    await updateCommissionSettings(db(), paycutShop, { refundWindowDays: 3_650 }, "test");
    for (const [code, sponsorCode, day] of [
      ["ROOT", null, 1],
      ["SAM", "ROOT", 2],
      ["JANE01", "SAM", 3],
    ] as const) {
      people[code] = (await enrollDistributor(db(), paycutShop, { code, sponsorCode, enrolledAt: `2026-01-0${day}T00:00:00Z` })).id;
    }
    await createCommissionClass(db(), paycutShop, { key: "general", name: "General", isDefault: true });
    await publishPlanVersion(
      db(),
      paycutShop,
      {
        schemaVersion: 1,
        period: { schedule: "monthly" },
        paycut: { maxPercent: "12.5" },
        components: [
          {
            type: "unilevel",
            id: "unilevel",
            maxDepth: 2,
            compression: "dynamic",
            rates: {
              general: [
                { kind: "percent", percent: "10" },
                { kind: "percent", percent: "5" },
              ],
            },
          },
        ],
      },
      "2026-03-01T00:00:00Z",
      "test",
    );
    paycutToken = (await createApiToken(db(), paycutShop, "periods", ["periods:read", "periods:write"])).token;
    const response = await fetch(
      `${app.server.url}/ingest/shopify`,
      shopifyDelivery(orderBody("11301", { createdAt: "2026-03-05T10:00:00Z" }), { webhookId: randomUUID(), shop: paycutDomain }),
    );
    expect(response.status).toBe(200);
    const order = await waitUntil(() => orderRow(paycutShop, "11301"), 20_000, "the order");
    await waitUntil(() => db().commission.findFirst({ where: { shopId: paycutShop, orderId: order.id } }), 20_000, "the commission");
  });

  it("posts the cut as negative entries shared by largest remainder", async () => {
    const response = await fetch(`${app.server.url}/api/v1/periods/close`, {
      method: "POST",
      headers: { Authorization: `Bearer ${paycutToken}`, "Content-Type": "application/json", "Idempotency-Key": randomUUID() },
      body: JSON.stringify({ period_start: "2026-03-01" }),
    });
    expect(response.status).toBe(200);
    const closed = (await response.json()) as { period: { id: string }; summary: { totalMinor: string; postedMinor: string } };
    expect(closed.summary).toMatchObject({ totalMinor: "-995", postedMinor: "-995" });
    const detail = (await (
      await fetch(`${app.server.url}/api/v1/periods/${closed.period.id}`, { headers: { Authorization: `Bearer ${paycutToken}` } })
    ).json()) as {
      posted: { rule: string; kind: string; distributor_id: string; amount: { amount_minor: string } }[];
    };
    expect(detail.posted.map((entry) => [entry.rule, entry.kind, entry.distributor_id, entry.amount.amount_minor]).sort()).toEqual(
      [
        ["paycut", "paycut", people.JANE01, "-663"],
        ["paycut", "paycut", people.SAM, "-332"],
      ].sort(),
    );
    const balances = await db().$queryRaw<{ distributorId: string; owed: bigint }[]>`
      SELECT "distributorId", -sum("amountMinor")::bigint AS owed FROM "LedgerPosting"
      WHERE "shopId" = ${paycutShop}::uuid AND "distributorId" IS NOT NULL GROUP BY "distributorId"`;
    expect(Object.fromEntries(balances.map((row) => [row.distributorId, row.owed]))).toEqual({ [people.JANE01!]: 3_317n, [people.SAM!]: 1_658n });
  });
});
