/**
 * Issue 5: enrolment through customer webhooks (referral code, default company node, concurrent duplicates)
 * and through the REST API, and spillover placement in binary and forced-matrix placement trees.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { updateGenealogySettings } from "~/services/genealogy/settings.server";
import { api, createViaApi, customerBody, deliverShopify, settled, startHarness, waitUntil, type Harness } from "./support";

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

async function distributorOfCustomer(customerId: string) {
  const ref = await waitUntil(
    () =>
      db().distributorCustomerRef.findFirst({
        where: { shopId: harness.shopId, platform: "shopify", platformCustomerId: customerId },
        include: { distributor: true },
      }),
    20_000,
    `customer ${customerId} enrolled`,
  );
  const edge = await db().sponsorEdge.findFirstOrThrow({ where: { shopId: harness.shopId, distributorId: ref.distributorId, validTo: null } });
  return { distributor: ref.distributor, sponsorId: edge.sponsorId };
}

describe("enrolment from customer webhooks", () => {
  it("joins a customer with a referral code under that sponsor, and one without under the company node", async () => {
    const sponsor = await createViaApi(harness, { code: "ANNA01", email: "anna@example.com", name: "Anna" });
    await deliverShopify(harness, customerBody("1001", "bob@example.com", "anna-01"), "customers/create");
    await deliverShopify(harness, customerBody("1002", "carl@example.com", "NOSUCHCODE"), "customers/create");

    const bob = await distributorOfCustomer("1001");
    expect(bob.sponsorId).toBe(sponsor.id);
    expect(bob.distributor).toMatchObject({ email: "bob@example.com", name: "Bob Biller" });
    expect(bob.distributor.code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{8}$/);

    const carl = await distributorOfCustomer("1002");
    const company = await db().distributor.findFirstOrThrow({ where: { shopId: harness.shopId, isCompanyNode: true } });
    expect(carl.sponsorId).toBe(company.id);
    // The sponsor given without a code by the REST API also went to the company node: one node per shop.
    expect(sponsor.sponsor?.id).toBe(company.id);
    expect(await db().distributor.count({ where: { shopId: harness.shopId, isCompanyNode: true } })).toBe(1);
  });

  it("enrols a customer once when duplicate webhooks arrive concurrently", async () => {
    const body = customerBody("2001", "dora@example.com");
    await Promise.all(Array.from({ length: 6 }, () => deliverShopify(harness, body, "customers/create")));
    await settled();
    expect(await db().distributorCustomerRef.count({ where: { shopId: harness.shopId, platformCustomerId: "2001" } })).toBe(1);
    expect(await db().distributor.count({ where: { shopId: harness.shopId, email: "dora@example.com" } })).toBe(1);
    expect(await db().webhookEvent.count({ where: { shopId: harness.shopId, topic: "customers/create", status: "processed", rawBody: body } })).toBe(6);
  });
});

describe("POST /api/v1/distributors", () => {
  it("creates with 201, returns the same person with 200 for the same external id or e-mail, and replays a key", async () => {
    const first = await api(harness, "/api/v1/distributors", {
      method: "POST",
      body: { external_id: "crm-1", email: "eve@example.com", name: "Eve" },
      key: "k-eve",
    });
    expect(first.status).toBe(201);
    const eve = await first.json();
    const replay = await api(harness, "/api/v1/distributors", {
      method: "POST",
      body: { external_id: "crm-1", email: "eve@example.com", name: "Eve" },
      key: "k-eve",
    });
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    const sameExternal = await api(harness, "/api/v1/distributors", { method: "POST", body: { external_id: "crm-1", name: "Eve again" } });
    expect(sameExternal.status).toBe(200);
    expect((await sameExternal.json()).id).toBe(eve.id);
    const sameEmail = await api(harness, "/api/v1/distributors", { method: "POST", body: { email: "EVE@example.com" } });
    expect(sameEmail.status).toBe(200);
    expect((await sameEmail.json()).id).toBe(eve.id);
    expect(await db().distributor.count({ where: { shopId: harness.shopId, externalId: "crm-1" } })).toBe(1);
  });

  it("answers 422 problem+json naming the field", async () => {
    const bad = await api(harness, "/api/v1/distributors", { method: "POST", body: { email: "not-an-email", sponsor: "ANNA01" } });
    expect(bad.status).toBe(422);
    expect(bad.headers.get("content-type")).toBe("application/problem+json");
    expect((await bad.json()).errors).toEqual([expect.objectContaining({ field: "email" })]);
    const unknownSponsor = await api(harness, "/api/v1/distributors", { method: "POST", body: { sponsor: "NOBODY99" } });
    expect(unknownSponsor.status).toBe(422);
    expect((await unknownSponsor.json()).errors).toEqual([expect.objectContaining({ field: "sponsor" })]);
  });
});

describe("spillover placement", () => {
  it("fills a width-3 matrix breadth-first, left to right: the fourth recruit lands under the first child", async () => {
    await updateGenealogySettings(db(), harness.shopId, { placement: { kind: "matrix", width: 3, depth: 5 } }, "test");
    const top = await createViaApi(harness, { code: "MTOP" });
    const recruits = [];
    for (let index = 1; index <= 7; index += 1) recruits.push(await createViaApi(harness, { code: `MR${index}X`, sponsor: "MTOP" }));
    const slots = recruits.map((recruit) => [recruit.placement?.parentId, recruit.placement?.position]);
    const [r1, r2] = recruits;
    expect(slots).toEqual([
      [top.id, 0],
      [top.id, 1],
      [top.id, 2],
      [r1!.id, 0],
      [r1!.id, 1],
      [r1!.id, 2],
      [r2!.id, 0],
    ]);
    // Every recruit keeps the enroller as sponsor, wherever they were placed.
    for (const recruit of recruits) expect(recruit.sponsor?.id).toBe(top.id);

    // A customer signing up with the code takes the same path from the webhook: the next slot, under r2.
    await deliverShopify(harness, customerBody("3001", "mia@example.com", "MTOP"), "customers/create");
    const mia = await distributorOfCustomer("3001");
    expect(mia.sponsorId).toBe(top.id);
    const placed = await db().placementEdge.findFirstOrThrow({ where: { shopId: harness.shopId, distributorId: mia.distributor.id, validTo: null } });
    expect([placed.parentId, placed.position]).toEqual([r2!.id, 1]);
  });

  it("binary extreme-outside left builds the outside line; weaker-leg fills the lighter leg; breadth-first goes level by level", async () => {
    await updateGenealogySettings(db(), harness.shopId, { placement: { kind: "binary", spillover: { kind: "extreme-outside", leg: "left" } } }, "test");
    const top = await createViaApi(harness, { code: "BTOP" });
    const line = [];
    for (let index = 1; index <= 3; index += 1) line.push(await createViaApi(harness, { code: `BL${index}X`, sponsor: "BTOP" }));
    expect(line.map((recruit) => [recruit.placement?.parentId, recruit.placement?.position])).toEqual([
      [top.id, 0],
      [line[0]!.id, 0],
      [line[1]!.id, 0],
    ]);

    await updateGenealogySettings(db(), harness.shopId, { placement: { kind: "binary", spillover: { kind: "weaker-leg", tieBreak: "left" } } }, "test");
    // BTOP: left leg 3 members, right leg 0 → right; then 3 vs 1 → right again, at the right leg's outside.
    const w1 = await createViaApi(harness, { code: "BW1X", sponsor: "BTOP" });
    const w2 = await createViaApi(harness, { code: "BW2X", sponsor: "BTOP" });
    expect([w1.placement, w2.placement]).toEqual([
      { parentId: top.id, position: 1 },
      { parentId: w1.id, position: 1 },
    ]);

    await updateGenealogySettings(db(), harness.shopId, { placement: { kind: "binary", spillover: { kind: "breadth-first" } } }, "test");
    // Level 1 full (BL1, BW1); level 2 in order: BL1.left taken (BL2) → BL1.right.
    const b1 = await createViaApi(harness, { code: "BB1X", sponsor: "BTOP" });
    const b2 = await createViaApi(harness, { code: "BB2X", sponsor: "BTOP" });
    expect([b1.placement, b2.placement]).toEqual([
      { parentId: line[0]!.id, position: 1 },
      { parentId: w1.id, position: 0 },
    ]);
  });
});
