/**
 * A platform customer (Shopify customers/create, WooCommerce customer.created, Magento customer events, all
 * normalized to NormalizedCustomer) joins the genealogy: under the sponsor whose referral code they signed up
 * with, else under the shop's default sponsor (configured code, or the company node), so nobody is lost. One
 * enrolled under the default sponsor is provisional for the shop's window (ADR 0008).
 *
 * Idempotent per (shop, platform, customer id): the unique key of DistributorCustomerRef, and an advisory lock on
 * the same triple so concurrent duplicate deliveries wait for each other instead of racing to two distributors.
 * A customer whose e-mail already belongs to a distributor (the same person on another platform) is linked to
 * that distributor rather than enrolled twice.
 */
import { MatrixFullError, NoOpenSlotError } from "~/domain/genealogy/errors";
import type { NormalizedCustomer } from "~/domain/platforms/normalized";
import type { Tx } from "~/db/tx.server";
import { ensureCompanyNode } from "./company-node.server";
import { enrollDistributor, linkCustomer } from "./enroll.server";
import { findDistributorByCode, findDistributorByCustomer } from "./lookup.server";
import { genealogySettings } from "./settings.server";

export type CustomerEnrollment =
  | {
      readonly outcome: "enrolled";
      readonly distributorId: string;
      readonly code: string;
      readonly sponsorId: string;
      readonly sponsorSource: "referral_code" | "default";
    }
  | { readonly outcome: "already_enrolled" | "linked_by_email"; readonly distributorId: string }
  | { readonly outcome: "skipped"; readonly reason: string };

export async function enrollCustomer(tx: Tx, shopId: string, customer: NormalizedCustomer): Promise<CustomerEnrollment> {
  const settings = await genealogySettings(tx, shopId);
  if (settings.enrollCustomers === "none") return { outcome: "skipped", reason: "the shop does not enroll customers" };
  const { platform, platformCustomerId } = customer;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`customer:${shopId}:${platform}:${platformCustomerId}`}, 0))`;

  const known = await findDistributorByCustomer(tx, shopId, platform, platformCustomerId);
  if (known) return { outcome: "already_enrolled", distributorId: known.id };

  if (customer.email) {
    const [sameEmail] = await tx.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "Distributor" WHERE "shopId" = ${shopId}::uuid AND lower("email") = lower(${customer.email}) LIMIT 1`;
    if (sameEmail) {
      await linkCustomer(tx, shopId, sameEmail.id, platform, platformCustomerId);
      return { outcome: "linked_by_email", distributorId: sameEmail.id };
    }
  }

  const referrer = customer.referralCode ? await findDistributorByCode(tx, shopId, customer.referralCode) : null;
  if (!referrer && settings.enrollCustomers === "referred") return { outcome: "skipped", reason: "no valid referral code" };
  const sponsor = referrer ?? (await defaultSponsor(tx, shopId, settings.defaultSponsor));

  // A sponsor who joined after the customer's creation instant (clock skew, a back-dated platform record) would
  // leave the recruit hanging in the air before that: the recruit joins when both exist.
  const createdAt = new Date(customer.createdAt);
  const enrolledAt = new Date(Math.max(Number.isNaN(createdAt.getTime()) ? Date.now() : createdAt.getTime(), sponsor.enrolledAt.getTime()));
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ") || null;
  // Without a code the default sponsor is a placeholder: the first referred order may still set it (ADR 0008).
  const provisionalSponsorDays = referrer ? 0 : settings.provisionalSponsorDays;
  const input = { sponsorId: sponsor.id, email: customer.email, name, platform, platformCustomerId, provisionalSponsorDays, actor: `${platform}:webhook` };
  const enrolled = await enrollAtOrNow(tx, shopId, input, enrolledAt);
  return {
    outcome: "enrolled",
    distributorId: enrolled.id,
    code: enrolled.code,
    sponsorId: sponsor.id,
    sponsorSource: referrer ? "referral_code" : "default",
  };
}

/**
 * A customer record older than the sponsor's later recruits (a backfill, a replay, an account made long ago)
 * may find no placement slot that was open at its date and stayed open since. Nobody who signs up is lost:
 * they then join as of now, placed by the tree as it stands, which is when Upline enrolls them.
 */
async function enrollAtOrNow(tx: Tx, shopId: string, input: Parameters<typeof enrollDistributor>[2], enrolledAt: Date) {
  await tx.$executeRaw`SAVEPOINT enroll_customer`;
  try {
    return await enrollDistributor(tx, shopId, { ...input, enrolledAt });
  } catch (error) {
    // A forced matrix reports the same case as full: at now it is either truly full (thrown again) or has room.
    if (!(error instanceof NoOpenSlotError || error instanceof MatrixFullError)) throw error;
    await tx.$executeRaw`ROLLBACK TO SAVEPOINT enroll_customer`;
    return enrollDistributor(tx, shopId, { ...input, enrolledAt: new Date() });
  }
}

/** The configured default sponsor when its code exists, else the company node (created on demand). */
async function defaultSponsor(tx: Tx, shopId: string, code: string | null): Promise<{ id: string; enrolledAt: Date }> {
  const configured = code ? await findDistributorByCode(tx, shopId, code) : null;
  if (configured) return configured;
  const company = await ensureCompanyNode(tx, shopId);
  const row = await tx.distributor.findUniqueOrThrow({ where: { id: company.id }, select: { id: true, enrolledAt: true } });
  return row;
}
