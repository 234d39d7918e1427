/** Finding distributors by what orders and API callers carry: a referral code, a customer account, an id. */
import { normalizeReferralCode } from "~/domain/genealogy/referral-code";
import type { Platform } from "~/domain/platforms/normalized";
import type { DbOrTx } from "~/db/tx.server";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(text: string): boolean {
  return UUID.test(text);
}

/** Case- and separator-insensitive: "jane-01 " finds JANE01 (codes are stored normalized). */
export async function findDistributorByCode(client: DbOrTx, shopId: string, code: string) {
  const normalized = normalizeReferralCode(code);
  if (normalized === null) return null;
  return client.distributor.findUnique({
    where: { shopId_code: { shopId, code: normalized } },
    select: { id: true, code: true, enrolledAt: true },
  });
}

/** The distributor whose own customer account placed an order, if any. */
export async function findDistributorByCustomer(client: DbOrTx, shopId: string, platform: Platform, platformCustomerId: string) {
  const ref = await client.distributorCustomerRef.findUnique({
    where: { shopId_platform_platformCustomerId: { shopId, platform, platformCustomerId } },
    select: { distributor: { select: { id: true, code: true, enrolledAt: true } } },
  });
  return ref?.distributor ?? null;
}

/** An API path segment: our uuid, else a referral code. Always within the caller's shop. */
export async function findDistributorByIdOrCode(client: DbOrTx, shopId: string, idOrCode: string) {
  if (isUuid(idOrCode)) {
    const byId = await client.distributor.findFirst({ where: { id: idOrCode, shopId }, select: { id: true, code: true, enrolledAt: true } });
    if (byId) return byId;
  }
  return findDistributorByCode(client, shopId, idOrCode);
}
