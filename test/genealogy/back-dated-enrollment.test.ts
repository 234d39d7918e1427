/**
 * Issue 15, defect 2: a back-dated enrollment (POST /api/v1/distributors with a past `enrolled_at`) used to be
 * placed by the current tree, under someone who joined later; the period between the two dates then refused to
 * close (422) for ever, every later period waited behind it, and the period what-if answered 500. Placement now
 * reads the tree as of the enrollment instant, and a close reports a link it cannot trust instead of refusing.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { createApiToken } from "~/services/api/tokens.server";
import { createCommissionClass, publishPlanVersion } from "~/services/commissions/setup.server";
import { updateGenealogySettings } from "~/services/genealogy/settings.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { TEST_SHOP } from "../support/deliveries";
import { firstPeriodJobDone } from "../periods/support";
import { PERIOD_PLAN } from "../periods/plan";

const app = runAppAndWorkers();
let shopId: string;
let token: string;

beforeAll(async () => {
  await firstPeriodJobDone();
  shopId = (await ensureShopifyShop(db(), TEST_SHOP)).id;
  await updateGenealogySettings(db(), shopId, { placement: { kind: "binary", spillover: { kind: "extreme-outside", leg: "left" } } }, "test");
  await createCommissionClass(db(), shopId, { key: "general", name: "General", isDefault: true });
  await publishPlanVersion(db(), shopId, PERIOD_PLAN, "2026-01-01T00:00:00Z", "test");
  token = (await createApiToken(db(), shopId, "back-dated", ["distributors:read", "distributors:write", "periods:read", "periods:write", "plans:read"])).token;
});

function post(path: string, body: unknown) {
  return fetch(`${app.server.url}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Idempotency-Key": randomUUID() },
    body: JSON.stringify(body),
  });
}

interface Created {
  id: string;
  placement: { parent_id?: string | null; parentId?: string | null; position: number | null } | null;
}

async function enroll(body: Record<string, unknown>): Promise<Created> {
  const response = await post("/api/v1/distributors", body);
  expect(response.status).toBe(201);
  return (await response.json()) as Created;
}

async function placementEdge(distributorId: string) {
  return db().placementEdge.findFirstOrThrow({ where: { shopId, distributorId }, orderBy: { validFrom: "desc" } });
}

describe("a back-dated enrollment", () => {
  it("is placed where the tree had room at its date, and the period between closes", async () => {
    // ROOT (Jan 1) ─left→ ALPHA (Jan 2) ─left→ CHARLIE (Feb 10): the left outside line as it stands today.
    const root = await enroll({ code: "ROOT", enrolled_at: "2026-01-01T00:00:00Z" });
    const alpha = await enroll({ code: "ALPHA", sponsor: "ROOT", enrolled_at: "2026-01-02T00:00:00Z" });
    const charlie = await enroll({ code: "CHARLIE", sponsor: "ROOT", enrolled_at: "2026-02-10T00:00:00Z" });
    expect(await placementEdge(charlie.id)).toMatchObject({ parentId: alpha.id, position: 0 });

    // Joined on Jan 20: CHARLIE was not there yet. The left line then ended under ALPHA, whose left slot has
    // been CHARLIE's since Feb 10, so no place on that line stayed free: the first free place is ROOT's right.
    const late = await enroll({ code: "XRAY", sponsor: "ROOT", enrolled_at: "2026-01-20T00:00:00Z" });
    const edge = await placementEdge(late.id);
    expect(edge).toMatchObject({ parentId: root.id, position: 1 });
    expect(edge.validFrom.toISOString()).toBe("2026-01-20T00:00:00.000Z");

    const closed = await post("/api/v1/periods/close", { period_start: "2026-01-01" });
    expect(closed.status).toBe(200);
    expect(await closed.json()).toMatchObject({ action: "closed" });
  });

  it("is refused with a 422 naming the reason when every place of its date has been filled since", async () => {
    // ROOT's both slots are taken from Jan 2 and Jan 3 on; at Jan 1 12:00 neither ALPHA nor the right one existed.
    await enroll({ code: "ROMEO", sponsor: "ROOT", enrolled_at: "2026-01-03T00:00:00Z" });
    const response = await post("/api/v1/distributors", { code: "EARLY", sponsor: "ROOT", enrolled_at: "2026-01-01T12:00:00Z" });
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(await response.json()).toMatchObject({ type: "urn:upline:problem:no-open-slot" });
    expect(await db().distributor.count({ where: { shopId, code: "EARLY" } })).toBe(0);
  });
});

describe("a period whose stored genealogy has a bad link", () => {
  it("closes, cuts the link for the close and reports it, instead of refusing for ever", async () => {
    // Injected fault: an edge as old code wrote it, hanging a member under someone who joined after the period.
    const lima = await enroll({ code: "LIMA", sponsor: "ROOT", enrolled_at: "2026-02-02T00:00:00Z" });
    const mike = await enroll({ code: "MIKE", sponsor: "ROOT", enrolled_at: "2026-02-03T00:00:00Z" });
    await db().$executeRaw`
      UPDATE "PlacementEdge" SET "validTo" = ${new Date("2026-02-05T00:00:00Z")}
      WHERE "shopId" = ${shopId}::uuid AND "distributorId" = ${mike.id}::uuid AND "validTo" IS NULL`;
    const lateParent = await enroll({ code: "NOVEMBER", sponsor: "ROOT", enrolled_at: "2026-03-15T00:00:00Z" });
    await db().$executeRaw`
      INSERT INTO "PlacementEdge" ("shopId", "distributorId", "validFrom", "parentId", "position")
      VALUES (${shopId}::uuid, ${mike.id}::uuid, ${new Date("2026-02-05T00:00:00Z")}, ${lateParent.id}::uuid, 0)`;
    expect(lima.id).toBeTruthy();

    const order = { platform_order_id: "wi-1", ordered_at: "2026-02-12T00:00:00Z", currency: "USD", referrer_id: "LIMA", sku: "X-1", amount: "100.00" };
    const whatIf = await post("/api/v1/plans/what-if", { plan: PERIOD_PLAN, period_start: "2026-02-01", orders: [order] });
    expect(whatIf.status).toBe(200);

    const closed = await post("/api/v1/periods/close", { period_start: "2026-02-01" });
    expect(closed.status).toBe(200);
    const period = (await closed.json()) as { action: string; period: { id: string }; summary: { flags: Record<string, number> } };
    expect(period.action).toBe("closed");
    expect(period.summary.flags).toMatchObject({ genealogy_link_cut: 1 });
    const stored = await db().commissionPeriod.findFirstOrThrow({ where: { shopId, id: period.period.id } });
    expect((stored.summary as { flags: Record<string, number> }).flags).toMatchObject({ genealogy_link_cut: 1 });
  });
});
