/**
 * Issue 13's acceptance: a shop set up through the REST API only, from nothing but a token printed by
 * `npm run token` (run here as the operator runs it, a child process). Connection, classes, SKU mappings (one
 * deleted again), distributors, a discount code, settings and a plan go in through /api/v1; signed WooCommerce
 * orders go through the ingest URL the API handed out; the commissions come back through /api/v1 to the cent.
 * A plan with a percent written "6%" is a 422 naming the field on every path that takes a plan: publish and
 * what-if (API), publish and preview (the admin Plans page's action).
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { sessionToken, embeddedUrl, storeOfflineSession } from "../support/admin-browser";
import { waitUntil, wooCommerceDelivery } from "../support/deliveries";
import { SPRING_BASKET, wooCommerceOrderFor } from "../support/platforms/baskets";
import { records, type JsonRecord } from "../support/platforms/json-edit";

const SHOP = "rest-only.myshopify.com";
const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
const run = promisify(execFile);
const app = runAppAndWorkers();
let token: string;

interface Answer {
  status: number;
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON read back and asserted field by field
  headers: Headers;
}

async function api(method: string, path: string, body?: unknown, key: string | null = randomUUID()): Promise<Answer> {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
  if (key && method !== "GET") headers["Idempotency-Key"] = key;
  const response = await fetch(`${app.server.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, body: (await response.json()) as Answer["body"], headers: response.headers };
}

function expectFieldProblem(answer: Answer, field: string) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(422);
  expect(answer.headers.get("content-type")).toBe("application/problem+json");
  expect(answer.body.type).toBe("urn:upline:problem:validation-failed");
  expect(answer.body.errors.map((error: { field: string }) => error.field)).toContain(field);
}

const rate = (percent: string) => ({ kind: "percent", percent });
const PLAN = {
  schemaVersion: 1,
  components: [
    {
      type: "unilevel",
      id: "unilevel",
      maxDepth: 3,
      compression: "none",
      rates: { standard: [rate("10"), rate("5"), rate("2")], kits: [rate("20"), rate("5")] },
    },
  ],
};
const withFirstPercent = (percent: string) => ({
  ...PLAN,
  components: [{ ...PLAN.components[0]!, rates: { ...PLAN.components[0]!.rates, standard: [rate(percent), rate("5"), rate("2")] } }],
});

beforeAll(async () => {
  const { stdout } = await run(
    "node_modules/.bin/tsx",
    ["scripts/token.ts", "create", "--shop", SHOP, "--scopes", "all", "--create-shop", "--name", "acceptance"],
    {
      env: process.env,
    },
  );
  token = stdout.trim();
}, 120_000);

describe("a shop set up through REST only", () => {
  let secret: string;
  let ingestPath: string;
  let orderedAt: string;
  const ids: Record<string, string> = {};

  it("starts from a token printed by npm run token: it is the shop's only row besides the shop", async () => {
    expect(token).toMatch(/^upl_[A-Za-z0-9_-]{40,}$/);
    const shop = await db().shop.findUniqueOrThrow({
      where: { domain: SHOP },
      include: { _count: { select: { apiTokens: true, connections: true, distributors: true } } },
    });
    expect(shop._count).toEqual({ apiTokens: 1, connections: 0, distributors: 0 });
    expect((await api("GET", "/api/v1/plans")).body).toEqual({ items: [] });
  });

  it("connects a WooCommerce store: the ingest URL and the secret, the secret shown once", async () => {
    const key = randomUUID();
    const created = await api("POST", "/api/v1/connections", { platform: "woocommerce", name: "Woo store", currency: "USD" }, key);
    expect(created.status).toBe(201);
    secret = created.body.webhook_secret;
    ingestPath = created.body.connection.ingest_path;
    expect(secret).toMatch(/^whsec_/);
    expect(ingestPath).toBe(`/ingest/woocommerce/${created.body.connection.id}`);
    const replay = await api("POST", "/api/v1/connections", { platform: "woocommerce", name: "Woo store", currency: "USD" }, key);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(created.body);
    const listed = await api("GET", "/api/v1/connections");
    expect(listed.body.items).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
  });

  it("creates two classes, renames one, maps SKUs and deletes a mapping", async () => {
    expect((await api("POST", "/api/v1/commission-classes", { key: "standard", name: "Standard", is_default: true })).status).toBe(201);
    expect((await api("POST", "/api/v1/commission-classes", { key: "kits", name: "Kits" })).status).toBe(201);
    const renamed = await api("POST", "/api/v1/commission-classes", { key: "kits", name: "Starter kits" });
    expect([renamed.status, renamed.body.created, renamed.body.commission_class.name]).toEqual([200, false, "Starter kits"]);

    const hoodie = await api("POST", "/api/v1/sku-mappings", { platform: "woocommerce", sku: "UPL-HOODIE-S", class: "kits" });
    expect(hoodie.body.sku_mapping).toMatchObject({ platform: "woocommerce", sku: "UPL-HOODIE-S", class: "kits" });
    const shake = await api("POST", "/api/v1/sku-mappings", { platform: "woocommerce", sku: "UPL-SHAKE-VAN", class: "kits" });
    expect((await api("DELETE", `/api/v1/sku-mappings/${shake.body.sku_mapping.id}`)).status).toBe(200);
    expect((await api("DELETE", `/api/v1/sku-mappings/${shake.body.sku_mapping.id}`)).status).toBe(404);
    expectFieldProblem(await api("POST", "/api/v1/sku-mappings", { platform: "woocommerce", sku: "X", class: "nope" }), "class");

    const mappings = await api("GET", "/api/v1/sku-mappings?platform=woocommerce");
    expect(mappings.body.items.map((item: { sku: string; class: string }) => [item.sku, item.class])).toEqual([["UPL-HOODIE-S", "kits"]]);
    const classes = await api("GET", "/api/v1/commission-classes");
    expect(
      classes.body.items.map((item: { key: string; name: string; is_default: boolean; sku_mappings: number }) => [
        item.key,
        item.name,
        item.is_default,
        item.sku_mappings,
      ]),
    ).toEqual([
      ["kits", "Starter kits", false, 1],
      ["standard", "Standard", true, 0],
    ]);
  });

  it("enrolls three distributors and maps a discount code to one", async () => {
    for (const [code, sponsor] of [
      ["ROOT01", undefined],
      ["SAM01", "ROOT01"],
      ["JANE01", "SAM01"],
    ] as const) {
      const created = await api("POST", "/api/v1/distributors", { code, name: code, enrolled_at: "2026-01-01T00:00:00Z", ...(sponsor ? { sponsor } : {}) });
      expect(created.status).toBe(201);
      ids[code] = created.body.id;
    }
    const mapped = await api("POST", "/api/v1/discount-codes", { code: "spring8", distributor: "SAM01" });
    expect(mapped.body.discount_code).toMatchObject({ code: "SPRING8", distributor: { id: ids.SAM01, code: "SAM01" } });
    expectFieldProblem(await api("POST", "/api/v1/discount-codes", { code: "X1", distributor: "NOBODY" }), "distributor");
    expect((await api("GET", "/api/v1/discount-codes")).body.items).toHaveLength(1);
  });

  it("changes the settings: shipping in and a 14-day hold from now, tax in only from tomorrow; each audited", async () => {
    const changed = await api("PUT", "/api/v1/settings", {
      referral: { param: "via", cookie_days: 60, attribution: "first_click" },
      commission: { include_shipping: true, hold_days: 14 },
      payouts: { minimum_minor: "2500" },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    expect((await api("PUT", "/api/v1/settings", { commission: { include_tax: true, effective_from: tomorrow } })).status).toBe(200);
    expectFieldProblem(
      await api("PUT", "/api/v1/settings", { commission: { include_tax: true, effective_from: "2026-01-01T00:00:00Z" } }),
      "commission.effective_from",
    );
    expectFieldProblem(await api("PUT", "/api/v1/settings", { referral: { cookie_days: 0 } }), "referral.cookie_days");

    const settings = (await api("GET", "/api/v1/settings")).body;
    expect(settings.referral).toEqual({ param: "via", cookie_days: 60, attribution: "first_click" });
    expect(settings.commission).toEqual({ include_shipping: true, include_tax: false, hold_days: 14 });
    expect(settings.commission_changes.map((change: { status: string }) => change.status)).toEqual(["in_force", "scheduled"]);
    // Tomorrow's change names the tax only: shipping and the hold stay as set today.
    expect(settings.commission_changes[1]).toEqual({
      effective_from: tomorrow,
      status: "scheduled",
      include_tax: true,
      changed_by: expect.stringMatching(/^api:/),
      changed_at: expect.any(String),
    });
    expect(settings.payouts).toEqual({ minimum_minor: "2500", schedule: "manual" });
    const shop = await db().shop.findUniqueOrThrow({ where: { domain: SHOP } });
    const actions = await db().auditLog.findMany({
      where: { shopId: shop.id, action: { in: ["referral_settings.updated", "commission_settings.scheduled", "payout_settings.set"] } },
      select: { action: true },
    });
    expect(actions.map((row) => row.action).sort()).toEqual([
      "commission_settings.scheduled",
      "commission_settings.scheduled",
      "payout_settings.set",
      "referral_settings.updated",
    ]);
    // Orders placed from here on are past the change's instant (they are stamped to the second).
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    orderedAt = `${new Date().toISOString().slice(0, 19)}Z`;
  });

  it("refuses a percent written 6%, NaN, -5 or 1e3 with 422 naming the field: publish and what-if", async () => {
    for (const percent of ["6%", "NaN", "-5", "1e3"]) {
      expectFieldProblem(await api("POST", "/api/v1/plans", { rules: withFirstPercent(percent) }), "rules.components[0].rates.standard[0].percent");
      expectFieldProblem(
        await api(
          "POST",
          "/api/v1/plans/what-if",
          { plan: withFirstPercent(percent), orders: [{ platform_order_id: "W1", currency: "USD", items: [{ sku: "A", quantity: 1, unit_price: "1.00" }] }] },
          null,
        ),
        "plan.components[0].rates.standard[0].percent",
      );
    }
    expect(await db().commissionPlanVersion.count()).toBe(0);
  });

  it("publishes the plan, replays it for the same key, and lists it in force", async () => {
    const key = randomUUID();
    const body = { rules: PLAN, effective_from: new Date(Date.now() - 3_600_000).toISOString() };
    const published = await api("POST", "/api/v1/plans", body, key);
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    expect(published.body).toMatchObject({ plan_version: { version: 1, status: "in_force" }, missing_classes: [] });
    expect((await api("POST", "/api/v1/plans", body, key)).body).toEqual(published.body);
    expect((await api("POST", "/api/v1/plans", { ...body, effective_from: "2026-01-01T00:00:00Z" }, key)).status).toBe(422); // same key, other body
    const listed = await api("GET", "/api/v1/plans");
    expect(listed.body.items.map((item: { version: number; status: string }) => [item.version, item.status])).toEqual([[1, "in_force"]]);
  });

  it("pays signed WooCommerce orders exactly, read back through REST to the cent", async () => {
    const basket = { ...SPRING_BASKET, orderedAtUtc: orderedAt };
    const referred: JsonRecord = { ...wooCommerceOrderFor(basket), id: 91_001, number: "91001" };
    const couponOnly: JsonRecord = { ...wooCommerceOrderFor(basket), id: 91_002, number: "91002" };
    couponOnly["meta_data"] = records(couponOnly["meta_data"]).filter((meta) => meta["key"] !== "_upline_ref");
    for (const order of [referred, couponOnly]) {
      const response = await fetch(`${app.server.url}${ingestPath}`, wooCommerceDelivery(JSON.stringify(order), secret));
      expect(response.status).toBe(200);
    }

    const commissions = async (orderId: string) =>
      waitUntil(
        async () => {
          const answer = await api("GET", `/api/v1/orders/${orderId}/commissions?platform=woocommerce`);
          return answer.status === 200 && answer.body.commission?.outcome === "evaluated" ? answer.body : null;
        },
        30_000,
        `the commissions of order ${orderId}`,
      );

    // Bases: shake 45.00 net + 4.69 shipping (7.50 split 45:27, largest remainder) in standard (its mapping was
    // deleted: the default class); hoodie 27.00 + 2.81 in kits. Standard 10/5/2 %, kits 20/5 %, half-even.
    const paid = (body: Answer["body"]) =>
      body.commission.lines.map(
        (line: { distributor_id: string; level: number; class_id: string; basis: { amount_minor: string }; amount: { amount_minor: string } }) => [
          line.distributor_id,
          line.level,
          line.class_id,
          line.basis.amount_minor,
          line.amount.amount_minor,
        ],
      );
    const first = await commissions("91001");
    expect(first.commission.attribution).toMatchObject({ distributor_id: ids.JANE01, source: "meta_data" });
    expect(paid(first)).toEqual(
      expect.arrayContaining([
        [ids.JANE01, 1, "standard", "4969", "497"],
        [ids.SAM01, 2, "standard", "4969", "248"],
        [ids.ROOT01, 3, "standard", "4969", "99"],
        [ids.JANE01, 1, "kits", "2981", "596"],
        [ids.SAM01, 2, "kits", "2981", "149"],
      ]),
    );
    expect(first.commission.lines).toHaveLength(5);
    expect(first.commission.totals.paid).toEqual({ amount_minor: "1589", amount: "15.89", currency: "USD" });
    // In force at the order's time: shipping in, tax not yet (tomorrow's change), a 14-day hold.
    expect(first.commission.lines[0].explanation.settings).toEqual({ includeShipping: true, includeTax: false });
    expect(Date.parse(first.commission.held_until) - Date.parse(orderedAt)).toBe(14 * 86_400_000);

    const second = await commissions("91002");
    expect(second.commission.attribution).toMatchObject({ distributor_id: ids.SAM01, source: "discount_code_mapping", code: "SPRING8" });
    expect(second.commission.totals.paid.amount_minor).toBe("1490"); // SAM 497 + 596, ROOT 248 + 149; level 3 (99) is breakage

    const jane = await api("GET", `/api/v1/distributors/${ids.JANE01}/ledger`);
    expect(jane.body.balances).toEqual([expect.objectContaining({ currency: "USD", pending: { amount_minor: "1093", amount: "10.93", currency: "USD" } })]);
    const sam = await api("GET", `/api/v1/distributors/${ids.SAM01}/ledger`);
    expect(sam.body.balances[0].pending.amount_minor).toBe(String(248 + 149 + 497 + 596));
  });

  it("refuses a percent written 6% on the admin Plans page too (publish and preview), naming the field", async () => {
    await storeOfflineSession(SHOP);
    for (const intent of ["publish", "preview"]) {
      const form = new URLSearchParams({ intent, rules: JSON.stringify(withFirstPercent("6%")), effectiveFrom: "2026-01-01T00:00" });
      const response = await fetch(embeddedUrl(app.server.url, "/app/plans.data", SHOP), {
        method: "POST",
        headers: { Authorization: `Bearer ${sessionToken(SHOP)}`, "User-Agent": CHROME, "Content-Type": "application/x-www-form-urlencoded" },
        body: form,
      });
      const text = await response.text();
      expect(response.status, text.slice(0, 300)).toBe(200);
      expect(text).toContain("components[0].rates.standard[0].percent");
      expect(text).toContain('must be a decimal string such as \\"12.5\\"');
    }
    expect(await db().commissionPlanVersion.count()).toBe(1);
  });

  it("revokes the token through npm run token: the API answers 401 from then on", async () => {
    const shop = await db().shop.findUniqueOrThrow({ where: { domain: SHOP }, include: { apiTokens: true } });
    const { stdout } = await run("node_modules/.bin/tsx", ["scripts/token.ts", "revoke", "--shop", SHOP, "--id", shop.apiTokens[0]!.id], { env: process.env });
    expect(stdout.trim()).toBe(shop.apiTokens[0]!.id);
    expect((await api("GET", "/api/v1/settings")).status).toBe(401);
  });
});
