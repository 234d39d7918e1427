/**
 * Distributors as the REST API and the admin pages see them: create (with natural keys, so the same person
 * posted twice is one row), read one profile, list and search.
 */
import type { Platform } from "~/domain/platforms/normalized";
import type { DistributorStatus } from "~/generated/prisma/enums";
import { inTransaction, type DbOrTx } from "~/db/tx.server";
import { enrollDistributor, linkCustomer } from "./enroll.server";
import { GenealogyServiceError } from "./errors.server";
import { findDistributorByIdOrCode } from "./lookup.server";
import { ranksAt } from "./queries.server";

export interface CreateDistributorInput {
  readonly externalId?: string | null;
  readonly email?: string | null;
  readonly name?: string | null;
  /** A vanity referral code; generated when absent. */
  readonly code?: string | null;
  /** The sponsor's id or referral code; absent: the shop's company node. */
  readonly sponsor?: string | null;
  readonly enrolledAt?: Date | null;
  readonly customer?: { readonly platform: Platform; readonly id: string } | null;
  readonly actor: string;
}

export interface CreatedDistributor {
  /** False when the natural key (external id, e-mail) already named someone: that person is returned. */
  readonly created: boolean;
  readonly distributorId: string;
}

export function createDistributor(client: DbOrTx, shopId: string, input: CreateDistributorInput): Promise<CreatedDistributor> {
  return inTransaction(client, async (tx) => {
    // Serializes creations of one natural key; the unique indexes (externalId, lower(email)) back this up.
    for (const key of [input.externalId && `x:${input.externalId}`, input.email && `e:${input.email.toLowerCase()}`].filter(Boolean)) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`distributor-key:${shopId}:${key}`}, 0))`;
    }
    const existing = await findByNaturalKey(tx, shopId, input);
    if (existing) return { created: false, distributorId: existing };
    let sponsorId: string | null = null;
    if (input.sponsor) {
      const sponsor = await findDistributorByIdOrCode(tx, shopId, input.sponsor);
      if (!sponsor) throw new GenealogyServiceError("unknown_sponsor", `no distributor ${input.sponsor} in this shop`);
      sponsorId = sponsor.id;
    }
    const enrolled = await enrollDistributor(tx, shopId, {
      code: input.code ?? null,
      sponsorId,
      sponsorFallback: "company",
      email: input.email ?? null,
      name: input.name ?? null,
      externalId: input.externalId ?? null,
      enrolledAt: input.enrolledAt ?? null,
      actor: input.actor,
    });
    if (input.customer) await linkCustomer(tx, shopId, enrolled.id, input.customer.platform, input.customer.id);
    return { created: true, distributorId: enrolled.id };
  });
}

async function findByNaturalKey(tx: DbOrTx, shopId: string, input: CreateDistributorInput): Promise<string | null> {
  if (input.externalId) {
    const row = await tx.distributor.findFirst({ where: { shopId, externalId: input.externalId }, select: { id: true } });
    if (row) return row.id;
  }
  if (input.email) {
    const [row] = await tx.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "Distributor" WHERE "shopId" = ${shopId}::uuid AND lower("email") = lower(${input.email}) LIMIT 1`;
    if (row) return row.id;
  }
  return null;
}

export interface DistributorProfile {
  readonly id: string;
  readonly code: string;
  readonly externalId: string | null;
  readonly name: string | null;
  readonly email: string | null;
  readonly status: DistributorStatus;
  readonly isCompanyNode: boolean;
  readonly enrolledAt: Date;
  readonly redactedAt: Date | null;
  readonly sponsor: { readonly id: string; readonly code: string } | null;
  readonly placement: { readonly parentId: string | null; readonly position: number | null } | null;
  readonly rank: { readonly achievedRank: string; readonly paidAsRank: string | null; readonly periodStart: Date } | null;
  readonly customers: readonly { readonly platform: Platform; readonly id: string }[];
  readonly directRecruits: number;
}

/** One distributor by id or referral code, as of now; null when not in this shop. */
export async function getDistributor(client: DbOrTx, shopId: string, idOrCode: string): Promise<DistributorProfile | null> {
  const found = await findDistributorByIdOrCode(client, shopId, idOrCode);
  if (!found) return null;
  const id = found.id;
  const [row, sponsorEdge, placementEdge, customers, directRecruits, ranks] = await Promise.all([
    client.distributor.findUniqueOrThrow({ where: { id } }),
    client.sponsorEdge.findFirst({ where: { shopId, distributorId: id, validTo: null }, select: { sponsor: { select: { id: true, code: true } } } }),
    client.placementEdge.findFirst({ where: { shopId, distributorId: id, validTo: null }, select: { parentId: true, position: true } }),
    client.distributorCustomerRef.findMany({
      where: { shopId, distributorId: id },
      select: { platform: true, platformCustomerId: true },
      orderBy: { createdAt: "asc" },
    }),
    client.sponsorEdge.count({ where: { shopId, sponsorId: id, validTo: null } }),
    ranksAt(client, shopId, [id], new Date()),
  ]);
  return {
    id,
    code: row.code,
    externalId: row.externalId,
    name: row.name,
    email: row.email,
    status: row.status,
    isCompanyNode: row.isCompanyNode,
    enrolledAt: row.enrolledAt,
    redactedAt: row.redactedAt,
    sponsor: sponsorEdge?.sponsor ?? null,
    placement: placementEdge,
    rank: ranks.get(id) ?? null,
    customers: customers.map((customer) => ({ platform: customer.platform, id: customer.platformCustomerId })),
    directRecruits,
  };
}

export interface DistributorListItem {
  readonly id: string;
  readonly code: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly status: DistributorStatus;
  readonly enrolledAt: Date;
}

/**
 * Distributors of the shop, newest enrolment first, `limit` per page; `search` matches the code (prefix), the
 * e-mail or the name (substring, case-insensitive). `after` is the last id of the previous page.
 */
export async function listDistributors(
  client: DbOrTx,
  shopId: string,
  options: { search?: string | null; limit?: number; after?: string | null } = {},
): Promise<{ items: DistributorListItem[]; nextAfter: string | null }> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const search = options.search?.trim();
  const rows = await client.distributor.findMany({
    where: {
      shopId,
      ...(search
        ? {
            OR: [
              { code: { startsWith: search.toUpperCase().replace(/[\s\-_.]+/g, "") } },
              { email: { contains: search, mode: "insensitive" as const } },
              { name: { contains: search, mode: "insensitive" as const } },
            ],
          }
        : {}),
    },
    orderBy: [{ enrolledAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    ...(options.after ? { cursor: { id: options.after }, skip: 1 } : {}),
    select: { id: true, code: true, name: true, email: true, status: true, enrolledAt: true },
  });
  const items = rows.slice(0, limit);
  return { items, nextAfter: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null };
}
