/**
 * Enrolling a distributor: the row, its first sponsor edge (open-ended from the enrolment instant), its place in
 * the placement tree when the shop has one (binary or matrix, by the shop's genealogy settings), its platform
 * customer reference and an audit row, in one transaction. This is the product path every tree is built
 * through, tests and demo included.
 */
import { cryptoRandomBytes, generateReferralCode, normalizeReferralCode, type RandomBytes } from "~/domain/genealogy/referral-code";
import type { Platform } from "~/domain/platforms/normalized";
import { inTransaction, type DbOrTx, type Tx } from "~/db/tx.server";
import { GenealogyServiceError } from "./errors.server";
import { findDistributorByCode } from "./lookup.server";
import { ensureCompanyNode } from "./company-node.server";
import { placeInTree } from "./placement.server";
import { genealogySettings, placementStructure } from "./settings.server";

export interface EnrollDistributorInput {
  /** A vanity code ("JANE01"); generated when absent. Stored normalized (upper case, no separators). */
  readonly code?: string | null;
  /** The sponsor, by code or by id; neither: a root of the tree. */
  readonly sponsorCode?: string | null;
  readonly sponsorId?: string | null;
  readonly email?: string | null;
  readonly name?: string | null;
  /** The distributor's own customer account on a platform, so their purchases are recognized. */
  readonly platform?: Platform | null;
  readonly platformCustomerId?: string | null;
  /** When they joined: the instant from which they are in the tree. Default: now. */
  readonly enrolledAt?: Date | string | null;
  readonly status?: "active" | "inactive";
  readonly rank?: string | null;
  /** With no sponsor given: a root of its own ("root", the default) or under the shop's company node. */
  readonly sponsorFallback?: "root" | "company";
  /** The caller's own id for this person (a natural key: unique per shop). */
  readonly externalId?: string | null;
  /** Enrolled under the default sponsor for want of a code: provisional this many days (ADR 0008). */
  readonly provisionalSponsorDays?: number;
  /** Who did it, for the audit log. */
  readonly actor?: string;
  /** Source of generated codes; seeded in demo data. */
  readonly random?: RandomBytes;
}

export interface EnrolledDistributor {
  readonly id: string;
  readonly code: string;
  readonly sponsorId: string | null;
  readonly enrolledAt: Date;
  /** Where the placement tree took them; null when the shop has none (or for a root). */
  readonly placement: { readonly parentId: string; readonly position: number } | null;
}

const DAY_MS = 86_400_000;

/** Fresh codes collide with probability ~1e-6 per million distributors; a few redraws is plenty. */
const GENERATED_CODE_ATTEMPTS = 5;

export function enrollDistributor(client: DbOrTx, shopId: string, input: EnrollDistributorInput): Promise<EnrolledDistributor> {
  const enrolledAt = input.enrolledAt ? new Date(input.enrolledAt) : new Date();
  if (Number.isNaN(enrolledAt.getTime())) throw new GenealogyServiceError("invalid_date", "enrolledAt is not a valid date");
  const vanity = input.code == null ? null : normalizeReferralCode(input.code);
  if (input.code != null && vanity === null) {
    throw new GenealogyServiceError("invalid_code", `"${input.code}" cannot be a referral code (3–32 letters and digits)`);
  }

  return inTransaction(client, async (tx) => {
    const sponsorId = await resolveSponsor(tx, shopId, input, enrolledAt);
    const provisionalSponsorUntil = input.provisionalSponsorDays ? new Date(enrolledAt.getTime() + input.provisionalSponsorDays * DAY_MS) : null;
    const { id, code } = await insertDistributor(tx, shopId, input, vanity, enrolledAt, provisionalSponsorUntil);
    await tx.$executeRaw`
      INSERT INTO "SponsorEdge" ("shopId", "distributorId", "sponsorId", "validFrom")
      VALUES (${shopId}::uuid, ${id}::uuid, ${sponsorId}::uuid, ${enrolledAt})`;
    const structure = placementStructure((await genealogySettings(tx, shopId)).placement);
    const placed = structure ? await placeInTree(tx, shopId, id, sponsorId, enrolledAt, structure) : null;
    const placement = placed ? { parentId: placed.parentId, position: placed.position } : null;
    // No status period means "active since enrolment" (GENEALOGY-STORAGE.md §7): only another status is written.
    if (input.status === "inactive") {
      await tx.$executeRaw`
        INSERT INTO "DistributorStatusPeriod" ("shopId", "distributorId", "status", "validFrom")
        VALUES (${shopId}::uuid, ${id}::uuid, 'inactive'::"DistributorStatus", ${enrolledAt})`;
    }
    if (input.platform && input.platformCustomerId) {
      await linkCustomer(tx, shopId, id, input.platform, input.platformCustomerId);
    }
    await tx.auditLog.create({
      data: {
        shopId,
        actor: input.actor ?? "system",
        action: "distributor.enrolled",
        entityType: "Distributor",
        entityId: id,
        // No email or name here: the audit log is append-only and personal data must stay redactable.
        after: {
          code,
          sponsorId,
          enrolledAt: enrolledAt.toISOString(),
          status: input.status ?? "active",
          placement,
          ...(provisionalSponsorUntil ? { provisionalSponsorUntil: provisionalSponsorUntil.toISOString() } : {}),
        },
      },
    });
    return { id, code, sponsorId, enrolledAt, placement };
  });
}

async function resolveSponsor(tx: Tx, shopId: string, input: EnrollDistributorInput, enrolledAt: Date): Promise<string | null> {
  if (!input.sponsorId && !input.sponsorCode) {
    return input.sponsorFallback === "company" ? (await ensureCompanyNode(tx, shopId)).id : null;
  }
  const sponsor = input.sponsorId
    ? await tx.distributor.findFirst({ where: { id: input.sponsorId, shopId }, select: { id: true } })
    : await findDistributorByCode(tx, shopId, input.sponsorCode!);
  if (!sponsor) throw new GenealogyServiceError("unknown_sponsor", `no distributor ${input.sponsorId ?? input.sponsorCode} in this shop`);
  // The sponsor must already be in the tree at the enrolment instant, or the new edge would hang in the air
  // for "upline as of T" queries between the two instants.
  const inTree = await tx.$queryRaw<{ found: number }[]>`
    SELECT 1 AS found FROM "SponsorEdge"
    WHERE "shopId" = ${shopId}::uuid AND "distributorId" = ${sponsor.id}::uuid
      AND "validFrom" <= ${enrolledAt} AND ("validTo" IS NULL OR "validTo" > ${enrolledAt})
    LIMIT 1`;
  if (inTree.length === 0) {
    throw new GenealogyServiceError("sponsor_not_enrolled", `the sponsor was not enrolled yet at ${enrolledAt.toISOString()}`);
  }
  return sponsor.id;
}

/** Insert-or-skip on (shop, code): a taken vanity code is refused, a taken generated code is redrawn. */
async function insertDistributor(
  tx: Tx,
  shopId: string,
  input: EnrollDistributorInput,
  vanity: string | null,
  enrolledAt: Date,
  provisionalSponsorUntil: Date | null,
): Promise<{ id: string; code: string }> {
  const random = input.random ?? cryptoRandomBytes;
  for (let attempt = 0; attempt < GENERATED_CODE_ATTEMPTS; attempt += 1) {
    const code = vanity ?? generateReferralCode(random);
    const rows = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "Distributor" ("shopId", "code", "status", "rank", "email", "name", "externalId", "enrolledAt", "provisionalSponsorUntil", "updatedAt")
      VALUES (${shopId}::uuid, ${code}, ${input.status ?? "active"}::"DistributorStatus", ${input.rank ?? null},
        ${input.email ?? null}, ${input.name ?? null}, ${input.externalId ?? null}, ${enrolledAt}, ${provisionalSponsorUntil}, now())
      ON CONFLICT DO NOTHING
      RETURNING "id"`;
    if (rows[0]) return { id: rows[0].id, code };
    // Which unique key refused the row: the natural keys are reported as such, a code is redrawn.
    await assertNaturalKeysFree(tx, shopId, input);
    if (vanity !== null) throw new GenealogyServiceError("code_taken", `the code ${vanity} is already used in this shop`);
  }
  throw new GenealogyServiceError("code_taken", `no free code after ${GENERATED_CODE_ATTEMPTS} attempts`);
}

async function assertNaturalKeysFree(tx: Tx, shopId: string, input: EnrollDistributorInput) {
  if (input.email) {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "Distributor" WHERE "shopId" = ${shopId}::uuid AND lower("email") = lower(${input.email}) LIMIT 1`;
    if (rows[0]) throw new GenealogyServiceError("email_taken", `a distributor with this e-mail exists: ${rows[0].id}`);
  }
  if (input.externalId) {
    const row = await tx.distributor.findFirst({ where: { shopId, externalId: input.externalId }, select: { id: true } });
    if (row) throw new GenealogyServiceError("external_id_taken", `a distributor with external id ${input.externalId} exists: ${row.id}`);
  }
}

/** Links a platform customer account to a distributor; one account belongs to at most one distributor. */
export async function linkCustomer(tx: Tx, shopId: string, distributorId: string, platform: Platform, platformCustomerId: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "DistributorCustomerRef" ("shopId", "distributorId", "platform", "platformCustomerId")
    VALUES (${shopId}::uuid, ${distributorId}::uuid, ${platform}::"Platform", ${platformCustomerId})
    ON CONFLICT ("shopId", "platform", "platformCustomerId") DO NOTHING
    RETURNING "id"`;
  if (rows.length === 0) {
    const existing = await tx.distributorCustomerRef.findUnique({
      where: { shopId_platform_platformCustomerId: { shopId, platform, platformCustomerId } },
      select: { distributorId: true },
    });
    if (existing?.distributorId === distributorId) return;
    throw new GenealogyServiceError("customer_already_linked", `${platform} customer ${platformCustomerId} belongs to another distributor`);
  }
}
