/**
 * The minimal sponsor tree: enrolment (the product path), effective-dated edges and statuses, the upline as of
 * an instant with absolute depths, the database's own guards (one current edge, append-only ledger).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { CycleError } from "~/domain/genealogy/errors";
import { GenealogyServiceError } from "~/services/genealogy/errors.server";
import { enrollDistributor } from "~/services/genealogy/enroll.server";
import { moveSponsor } from "~/services/genealogy/move-sponsor.server";
import { changeDistributorStatus } from "~/services/genealogy/status.server";
import { uplineAt } from "~/services/genealogy/upline.server";
import { REFERRAL_CODE_ALPHABET, seededRandomBytes } from "~/domain/genealogy/referral-code";
import { ensureShopifyShop } from "~/services/shops.server";

let shopId: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  shopId = (await ensureShopifyShop(db(), "genealogy.myshopify.com")).id;
  // A ← B ← C ← D ← E, one a month from January 2024.
  let sponsor: string | null = null;
  for (const [index, code] of ["A", "B", "C", "D", "E"].entries()) {
    const enrolled = await enrollDistributor(db(), shopId, { code: `${code}-CODE`, sponsorCode: sponsor, enrolledAt: `2024-0${index + 1}-01T00:00:00Z` });
    ids[code] = enrolled.id;
    sponsor = enrolled.code;
  }
  await changeDistributorStatus(db(), shopId, ids.C!, { status: "inactive", effectiveFrom: new Date("2024-06-01T00:00:00Z"), actor: "test" });
  await changeDistributorStatus(db(), shopId, ids.C!, { status: "active", effectiveFrom: new Date("2024-09-01T00:00:00Z"), actor: "test" });
});

const chain = async (code: string, at: string, maxDepth = 10) =>
  (await uplineAt(db(), shopId, ids[code]!, new Date(at), maxDepth)).map(
    (node) => `${Object.keys(ids).find((key) => ids[key] === node.distributorId)}:${node.status}:${node.sponsorDepth}`,
  );

describe("enrolDistributor", () => {
  it("stores the code normalized, generates one when absent, and audits without personal data", async () => {
    const jane = await enrollDistributor(db(), shopId, { code: " jane-2024 ", sponsorId: ids.A, email: "jane@example.com", name: "Jane" });
    expect(jane.code).toBe("JANE2024");
    const generated = await enrollDistributor(db(), shopId, { sponsorCode: "jane2024", random: seededRandomBytes(7) });
    expect(generated.code).toMatch(new RegExp(`^[${REFERRAL_CODE_ALPHABET}]{8}$`));
    const audit = await db().auditLog.findFirstOrThrow({ where: { shopId, entityId: jane.id, action: "distributor.enrolled" } });
    expect(JSON.stringify(audit.after)).not.toContain("jane@example.com");
  });

  it("refuses a taken code, an unknown sponsor, a sponsor not enrolled yet, and a customer linked to someone else", async () => {
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => null,
        (error: unknown) => (error instanceof GenealogyServiceError ? error.code : error),
      );
    expect(await refusal(enrollDistributor(db(), shopId, { code: "a-code" }))).toBe("code_taken");
    expect(await refusal(enrollDistributor(db(), shopId, { code: "NEW1", sponsorCode: "NOBODY" }))).toBe("unknown_sponsor");
    expect(await refusal(enrollDistributor(db(), shopId, { code: "NEW2", sponsorCode: "E-CODE", enrolledAt: "2024-01-15T00:00:00Z" }))).toBe(
      "sponsor_not_enrolled",
    );
    await enrollDistributor(db(), shopId, { code: "NEW3", platform: "shopify", platformCustomerId: "42" });
    expect(await refusal(enrollDistributor(db(), shopId, { code: "NEW4", platform: "shopify", platformCustomerId: "42" }))).toBe("customer_already_linked");
    // Refused enrolments leave nothing behind.
    expect(await db().distributor.count({ where: { shopId, code: { in: ["NEW1", "NEW2", "NEW4"] } } })).toBe(0);
  });
});

describe("uplineAt", () => {
  it("walks the edges in force at the instant, with each node's status then and its absolute depth", async () => {
    expect(await chain("E", "2024-07-01T00:00:00Z")).toEqual(["E:active:4", "D:active:3", "C:inactive:2", "B:active:1", "A:active:0"]);
    expect(await chain("E", "2024-10-01T00:00:00Z")).toEqual(["E:active:4", "D:active:3", "C:active:2", "B:active:1", "A:active:0"]);
    // Before E's enrolment E is not in the tree at all; D was.
    expect(await chain("E", "2024-04-15T00:00:00Z")).toEqual([]);
    expect(await chain("D", "2024-04-15T00:00:00Z")).toEqual(["D:active:3", "C:active:2", "B:active:1", "A:active:0"]);
  });

  it("returns only up to the maxDepth-th active node (inactive ones do not count), depths still absolute", async () => {
    expect(await chain("E", "2024-07-01T00:00:00Z", 2)).toEqual(["E:active:4", "D:active:3"]);
    expect(await chain("E", "2024-07-01T00:00:00Z", 3)).toEqual(["E:active:4", "D:active:3", "C:inactive:2", "B:active:1"]);
  });

  it("answers for the past unchanged after a sponsor move, and refuses a move that would loop", async () => {
    await moveSponsor(db(), shopId, {
      distributorId: ids.D!,
      newSponsor: "A-CODE",
      effectiveFrom: new Date("2024-11-01T00:00:00Z"),
      reason: "test",
      actor: "test",
    });
    expect(await chain("E", "2024-10-01T00:00:00Z")).toEqual(["E:active:4", "D:active:3", "C:active:2", "B:active:1", "A:active:0"]);
    expect(await chain("E", "2024-12-01T00:00:00Z")).toEqual(["E:active:2", "D:active:1", "A:active:0"]);
    await expect(
      moveSponsor(db(), shopId, {
        distributorId: ids.A!,
        newSponsor: "E-CODE",
        effectiveFrom: new Date("2024-12-01T00:00:00Z"),
        reason: "test",
        actor: "test",
      }),
    ).rejects.toBeInstanceOf(CycleError);
    expect(await db().auditLog.count({ where: { shopId, action: "distributor.sponsor_moved" } })).toBe(1);
  });
});

describe("database guards", () => {
  it("refuses a second current sponsor edge for one distributor", async () => {
    await expect(db().sponsorEdge.create({ data: { shopId, distributorId: ids.B!, sponsorId: ids.A!, validFrom: new Date() } })).rejects.toThrow(
      /Unique constraint/,
    );
  });

  it("keeps the ledger append-only: updates and deletes are refused, a shop deletion cascades", async () => {
    const other = await ensureShopifyShop(db(), "ledger-guard.myshopify.com");
    const transaction = await db().ledgerTransaction.create({
      data: {
        shopId: other.id,
        idempotencyKey: "guard",
        kind: "commission",
        occurredAt: new Date(),
        metadata: {},
        postings: {
          create: [
            { account: "x", accountKind: "commission_expense", currency: "USD", amountMinor: 1n },
            { account: "y", accountKind: "wallet_pending", currency: "USD", amountMinor: -1n },
          ],
        },
      },
    });
    await expect(db().ledgerPosting.updateMany({ where: { transactionId: transaction.id }, data: { amountMinor: 1n } })).rejects.toThrow(/append-only/);
    await expect(db().ledgerPosting.deleteMany({ where: { transactionId: transaction.id } })).rejects.toThrow(/append-only/);
    await expect(db().ledgerTransaction.delete({ where: { id: transaction.id } })).rejects.toThrow(/append-only/);
    await db().shop.delete({ where: { id: other.id } });
    expect(await db().ledgerTransaction.count({ where: { shopId: other.id } })).toBe(0);
  });
});
