/**
 * Issue 5 REST reads: GET /api/v1/distributors/:id, /upline, /downline (keyset pages, opaque cursor), status
 * changes, problem+json for 401 / 404 / 400 / 422, isolation between shops, and the ledger route nested under
 * the same :id segment still answering on its own.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { createApiToken } from "~/services/api/tokens.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { pathBetweenAt, ranksAt } from "~/services/genealogy/queries.server";
import { api, createViaApi, startHarness, type Harness } from "./support";

let harness: Harness;
let lead: { id: string; code: string };
const recruits: { id: string; code: string }[] = [];
beforeAll(async () => {
  harness = await startHarness();
  lead = await createViaApi(harness, { code: "LEAD", email: "lead@example.com", name: "Lea Lead", external_id: "crm-lead" });
  for (let index = 1; index <= 4; index += 1) recruits.push(await createViaApi(harness, { code: `RC${index}X`, sponsor: "LEAD" }));
  for (let index = 1; index <= 3; index += 1) await createViaApi(harness, { code: `GC${index}X`, sponsor: "RC1X" });
});
afterAll(async () => {
  await harness?.close();
});

describe("GET /api/v1/distributors/:id", () => {
  it("answers the profile by id or by referral code", async () => {
    const byCode = await api(harness, "/api/v1/distributors/lead");
    expect(byCode.status).toBe(200);
    const profile = await byCode.json();
    expect(profile).toMatchObject({
      id: lead.id,
      code: "LEAD",
      email: "lead@example.com",
      name: "Lea Lead",
      external_id: "crm-lead",
      status: "active",
      direct_recruits: 4,
      is_company_node: false,
    });
    expect((await (await api(harness, `/api/v1/distributors/${lead.id}`)).json()).code).toBe("LEAD");
  });

  it("answers 401 without a valid token and 404 for an unknown distributor, as problem+json", async () => {
    const unauthenticated = await fetch(`${harness.server.url}/api/v1/distributors/LEAD`);
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get("content-type")).toBe("application/problem+json");
    const wrongToken = await api(harness, "/api/v1/distributors/LEAD", { token: "upl_notatokenatallbutlongenough" });
    expect(wrongToken.status).toBe(401);
    const missing = await api(harness, "/api/v1/distributors/NOBODY42");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
    expect(await missing.json()).toMatchObject({ type: "urn:upline:problem:not-found", status: 404 });
  });

  it("is scoped by the token's shop: another shop's token gets 404 for every read", async () => {
    const other = await ensureShopifyShop(db(), "someone-else.myshopify.com");
    const { token } = await createApiToken(db(), other.id, "other", ["distributors:read", "ledger:read"]);
    for (const path of ["", "/upline", "/downline", "/export", "/ledger"]) {
      const response = await api(harness, `/api/v1/distributors/${lead.id}${path}`, { token });
      expect(response.status, path).toBe(404);
    }
    const list = await (await api(harness, "/api/v1/distributors?search=lead", { token })).json();
    expect(list.items).toEqual([]);
  });

  it("leaves the nested ledger route answering its own JSON", async () => {
    const ledger = await api(harness, "/api/v1/distributors/LEAD/ledger");
    expect(ledger.status).toBe(200);
    expect(await ledger.json()).toEqual({ distributor: { id: lead.id, code: "LEAD" }, balances: [], entries: [], next_cursor: null });
  });
});

describe("GET /api/v1/distributors/:id/downline", () => {
  it("gives per-level counts and pages members by (level, id) with an opaque cursor", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let levels: unknown = null;
    for (let page = 0; page < 5; page += 1) {
      const response = await api(harness, `/api/v1/distributors/LEAD/downline?depth=2&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(response.status).toBe(200);
      const body = await response.json();
      levels ??= body.levels;
      seen.push(...body.members.map((member: { level: number; code: string }) => `${member.level}:${member.code}`));
      cursor = body.next_cursor;
      if (!cursor) break;
    }
    expect(levels).toEqual([
      { level: 1, members: 4, pv: "0.00" },
      { level: 2, members: 3, pv: "0.00" },
    ]);
    expect(seen).toHaveLength(7);
    expect(seen.slice(0, 4).sort()).toEqual(["1:RC1X", "1:RC2X", "1:RC3X", "1:RC4X"]);
    expect(seen.slice(4).sort()).toEqual(["2:GC1X", "2:GC2X", "2:GC3X"]);
  });

  it("answers 400 naming the parameter for a bad depth or cursor", async () => {
    const depth = await api(harness, "/api/v1/distributors/LEAD/downline?depth=0");
    expect(depth.status).toBe(400);
    expect((await depth.json()).errors).toEqual([expect.objectContaining({ field: "depth" })]);
    const cursor = await api(harness, "/api/v1/distributors/LEAD/downline?cursor=garbage");
    expect(cursor.status).toBe(400);
    expect((await cursor.json()).errors).toEqual([expect.objectContaining({ field: "cursor" })]);
  });
});

describe("GET /api/v1/distributors/:id/upline", () => {
  it("walks the sponsors at `at`; before enrolment there is none", async () => {
    const now = await (await api(harness, "/api/v1/distributors/GC1X/upline")).json();
    expect(now.upline.map((entry: { level: number; code: string }) => [entry.level, entry.code]).slice(0, 2)).toEqual([
      [1, "RC1X"],
      [2, "LEAD"],
    ]);
    expect(now.upline[2]).toMatchObject({ level: 3, is_company_node: true });
    const before = await (await api(harness, "/api/v1/distributors/GC1X/upline?at=2020-01-01T00:00:00Z")).json();
    expect(before.upline).toEqual([]);
    const bad = await api(harness, "/api/v1/distributors/GC1X/upline?at=yesterday");
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors).toEqual([expect.objectContaining({ field: "at" })]);
  });
});

describe("status and ranks", () => {
  it("changes status effective-dated with a reason, visible in the upline from that instant", async () => {
    const beforeChange = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const from = new Date();
    const changed = await api(harness, "/api/v1/distributors/RC1X/status", {
      method: "POST",
      body: { status: "inactive", effective_from: from.toISOString(), reason: "no orders" },
    });
    expect(changed.status).toBe(200);
    expect((await changed.json()).status).toBe("inactive");
    const period = await db().distributorStatusPeriod.findFirstOrThrow({ where: { shopId: harness.shopId, distributorId: recruits[0]!.id } });
    expect(period).toMatchObject({ status: "inactive", reason: "no orders", validTo: null });
    expect(period.validFrom.getTime()).toBe(from.getTime());
    const upline = await (await api(harness, "/api/v1/distributors/GC1X/upline")).json();
    expect(upline.upline[0]).toMatchObject({ code: "RC1X", status: "inactive" });
    const earlier = await (await api(harness, `/api/v1/distributors/GC1X/upline?at=${encodeURIComponent(beforeChange.toISOString())}`)).json();
    expect(earlier.upline[0]).toMatchObject({ code: "RC1X", status: "active" });
    const invalid = await api(harness, "/api/v1/distributors/RC1X/status", { method: "POST", body: { status: "asleep", reason: "x" } });
    expect(invalid.status).toBe(422);
    expect((await invalid.json()).errors).toEqual([expect.objectContaining({ field: "status" })]);
  });

  it("finds the path between two distributors through their nearest common sponsor", async () => {
    const gc1 = await (await api(harness, "/api/v1/distributors/GC1X")).json();
    const path = await pathBetweenAt(db(), harness.shopId, gc1.id, recruits[3]!.id, new Date());
    expect(path).toEqual({ commonAncestorId: lead.id, up: [gc1.id, recruits[0]!.id, lead.id], down: [recruits[3]!.id], distance: 3 });
    expect(await pathBetweenAt(db(), harness.shopId, gc1.id, lead.id, new Date("2020-01-01T00:00:00Z"))).toBeNull();
  });

  it("reads no rank before the period close wrote one", async () => {
    expect((await ranksAt(db(), harness.shopId, [lead.id], new Date())).size).toBe(0);
  });
});
