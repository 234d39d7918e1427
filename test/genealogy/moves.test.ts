/**
 * Issue 5: moves are audited admin corrections effective from an instant. The upline at T before the move keeps
 * its answer, ledger entries already posted never change, cycles are refused (at the move instant and at later
 * scheduled changes), and placement moves refuse bad or taken slots.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { CycleError } from "~/domain/genealogy/errors";
import { moveSponsor } from "~/services/genealogy/move-sponsor.server";
import { uplineAt } from "~/services/genealogy/upline.server";
import { updateGenealogySettings } from "~/services/genealogy/settings.server";
import { orderBody, seedShop, walletDeltas, type SeededShop } from "../commissions/support";
import { api, createViaApi, deliverShopify, startHarness, waitUntil, type Harness } from "./support";

let harness: Harness;
let shop: SeededShop;
beforeAll(async () => {
  harness = await startHarness();
  shop = await seedShop();
});
afterAll(async () => {
  await harness?.close();
});

const chain = async (code: string, at: Date) =>
  (await uplineAt(db(), shop.shopId, shop.ids[code]!, at, 10)).map((node) => Object.entries(shop.ids).find(([, id]) => id === node.distributorId)?.[0]);

async function postingsSnapshot() {
  const rows = await db().ledgerPosting.findMany({
    where: { shopId: shop.shopId },
    orderBy: { id: "asc" },
    select: { id: true, account: true, amountMinor: true, distributorId: true },
  });
  return rows.map((row) => `${row.id}:${row.account}:${row.amountMinor}`);
}

describe("a sponsor move", () => {
  const moveAt = new Date("2022-06-01T00:00:00Z");

  it("changes the upline from its instant on, keeps the answer before it, and never alters posted entries", async () => {
    // An order of 2022-01-01 through the real webhook → worker → ledger path, attributed to JANE01.
    await deliverShopify(harness, orderBody("5550001"), "orders/paid");
    const order = await waitUntil(() => db().order.findFirst({ where: { shopId: shop.shopId, platformOrderId: "5550001" } }), 20_000, "order");
    await waitUntil(() => db().commission.findFirst({ where: { shopId: shop.shopId, orderId: order.id } }), 20_000, "commission");
    const before = await postingsSnapshot();
    const paidBefore = await walletDeltas(shop.shopId, order.id);
    // MIKE is inactive since 2021-06: dynamic compression pays JANE01, SAM and ROOT.
    expect(Object.keys(paidBefore).sort()).toEqual(["JANE01", "ROOT", "SAM"]);

    expect(await chain("JANE01", new Date("2022-01-01T00:00:00Z"))).toEqual(["JANE01", "MIKE", "SAM", "ROOT"]);

    const moved = await api(harness, `/api/v1/distributors/JANE01/moves`, {
      method: "POST",
      body: { tree: "sponsor", new_sponsor: "ROOT", effective_from: moveAt.toISOString(), reason: "enrolled under the wrong sponsor" },
    });
    expect(moved.status).toBe(201);
    const move = await moved.json();
    expect(move).toMatchObject({ tree: "sponsor", from_parent_id: shop.ids.MIKE, to_parent_id: shop.ids.ROOT, effective_from: moveAt.toISOString() });

    expect(await chain("JANE01", new Date(moveAt.getTime() - 1))).toEqual(["JANE01", "MIKE", "SAM", "ROOT"]);
    expect(await chain("JANE01", moveAt)).toEqual(["JANE01", "ROOT"]);
    const uplineAtRest = async (at: string) =>
      (
        (await (await api(harness, `/api/v1/distributors/JANE01/upline?at=${encodeURIComponent(at)}`)).json()) as { upline: { code: string; status: string }[] }
      ).upline.map((entry) => [entry.code, entry.status]);
    // Status at T too: MIKE turned inactive on 2021-06-01.
    expect(await uplineAtRest("2021-05-01T00:00:00Z")).toEqual([
      ["MIKE", "active"],
      ["SAM", "active"],
      ["ROOT", "active"],
    ]);
    expect(await uplineAtRest("2022-01-01T00:00:00Z")).toEqual([
      ["MIKE", "inactive"],
      ["SAM", "active"],
      ["ROOT", "active"],
    ]);
    expect(await uplineAtRest(moveAt.toISOString())).toEqual([["ROOT", "active"]]);

    // Posted entries are byte-for-byte the same rows, and the order's payout is unchanged.
    expect(await postingsSnapshot()).toEqual(before);
    expect(await walletDeltas(shop.shopId, order.id)).toEqual(paidBefore);

    const recorded = await db().genealogyMove.findUniqueOrThrow({ where: { id: move.move_id } });
    expect(recorded).toMatchObject({ tree: "sponsor", reason: "enrolled under the wrong sponsor", actor: expect.stringMatching(/^api:/) });
    const audit = await db().auditLog.findFirstOrThrow({ where: { shopId: shop.shopId, action: "distributor.sponsor_moved", entityId: shop.ids.JANE01 } });
    expect(audit.reason).toBe("enrolled under the wrong sponsor");
    expect(await db().sponsorEdge.count({ where: { shopId: shop.shopId, distributorId: shop.ids.JANE01!, moveId: move.move_id, validTo: null } })).toBe(1);
  });

  it("refuses a cycle with a clear error, by the service and with 409 problem+json by the API", async () => {
    // SAM under MIKE, who is SAM's own recruit.
    await expect(
      moveSponsor(db(), shop.shopId, {
        distributorId: shop.ids.SAM!,
        newSponsor: "MIKE",
        effectiveFrom: new Date("2022-07-01T00:00:00Z"),
        reason: "test",
        actor: "test",
      }),
    ).rejects.toBeInstanceOf(CycleError);
    const refused = await api(harness, `/api/v1/distributors/SAM/moves`, {
      method: "POST",
      body: { tree: "sponsor", new_sponsor: "MIKE", effective_from: "2022-07-01T00:00:00Z", reason: "test" },
    });
    expect(refused.status).toBe(409);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    const problem = await refused.json();
    expect(problem).toMatchObject({ type: "urn:upline:problem:cycle", status: 409 });
    expect(problem.detail).toMatch(/cycle/);
    expect(await db().genealogyMove.count({ where: { shopId: shop.shopId, distributorId: shop.ids.SAM! } })).toBe(0);
  });

  it("refuses a move that would loop at a later scheduled change", async () => {
    // SAM is scheduled under JANE01 from 2023 (JANE01 then hangs under ROOT, so no loop at that instant). Moving
    // JANE01 under SAM from 2022-08 is fine until 2023, when SAM → JANE01 → SAM would close a loop.
    await moveSponsor(db(), shop.shopId, {
      distributorId: shop.ids.SAM!,
      newSponsor: "JANE01",
      effectiveFrom: new Date("2023-01-01T00:00:00Z"),
      reason: "scheduled",
      actor: "test",
    });
    await expect(
      moveSponsor(db(), shop.shopId, {
        distributorId: shop.ids.JANE01!,
        newSponsor: "SAM",
        effectiveFrom: new Date("2022-08-01T00:00:00Z"),
        reason: "test",
        actor: "test",
      }),
    ).rejects.toBeInstanceOf(CycleError);
  });
});

describe("a placement move", () => {
  it("moves into a free slot, and refuses a slot outside the width (422) or already held (409)", async () => {
    await updateGenealogySettings(db(), harness.shopId, { placement: { kind: "binary", spillover: { kind: "extreme-outside", leg: "left" } } }, "test");
    const top = await createViaApi(harness, { code: "PTOP" });
    const a = await createViaApi(harness, { code: "PAAA", sponsor: "PTOP" });
    const b = await createViaApi(harness, { code: "PBBB", sponsor: "PTOP" });
    expect(b.placement).toEqual({ parentId: a.id, position: 0 });

    const outOfRange = await api(harness, `/api/v1/distributors/PBBB/moves`, {
      method: "POST",
      body: { tree: "placement", new_parent: "PTOP", position: 2, effective_from: new Date().toISOString(), reason: "fix" },
    });
    expect(outOfRange.status).toBe(422);
    expect(await outOfRange.json()).toMatchObject({ type: "urn:upline:problem:position-out-of-range" });

    const taken = await api(harness, `/api/v1/distributors/PBBB/moves`, {
      method: "POST",
      body: { tree: "placement", new_parent: "PTOP", position: 0, effective_from: new Date().toISOString(), reason: "fix" },
    });
    expect(taken.status).toBe(409);
    expect(await taken.json()).toMatchObject({ type: "urn:upline:problem:position-taken" });

    const cycle = await api(harness, `/api/v1/distributors/PAAA/moves`, {
      method: "POST",
      body: { tree: "placement", new_parent: "PBBB", position: 1, effective_from: new Date().toISOString(), reason: "fix" },
    });
    expect(cycle.status).toBe(409);

    const ok = await api(harness, `/api/v1/distributors/PBBB/moves`, {
      method: "POST",
      body: { tree: "placement", new_parent: "PTOP", position: 1, effective_from: new Date().toISOString(), reason: "balance the legs" },
    });
    expect(ok.status).toBe(201);
    const profile = await (await api(harness, `/api/v1/distributors/PBBB`)).json();
    expect(profile.placement).toEqual({ parentId: top.id, position: 1 });
  });
});
