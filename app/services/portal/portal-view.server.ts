/**
 * What the affiliate portal (storefront, through Shopify's app proxy) shows the signed-in customer: their
 * referral link, what the shop owes them (pending and available, per currency) and their latest earnings.
 * Shopify vouches for the customer id (logged_in_customer_id, covered by the proxy signature); the distributor
 * is found through the customer account they enrolled with, always inside the shop the request came from.
 */
import { formatMinor } from "~/domain/money";
import type { DbOrTx } from "~/db/tx.server";
import { findDistributorByCustomer } from "~/services/genealogy/lookup.server";
import { walletBalances } from "~/services/ledger/balances.server";
import { downlinePage } from "~/services/genealogy/queries.server";
import { createDistributor } from "~/services/genealogy/distributors.server";
import { GenealogyServiceError } from "~/services/genealogy/errors.server";
import { walletEntries } from "~/services/ledger/entries.server";
import { portalPayouts, type PortalPayouts } from "./portal-payouts.server";

export const PORTAL_ENTRIES = 10;
/** The portal shows how many people the affiliate has on their first levels (members, not names: privacy). */
export const PORTAL_DOWNLINE_LEVELS = 3;

export interface PortalEarning {
  readonly occurredAt: string;
  readonly label: string;
  /** Signed decimal text in the entry's currency ("19.90", "-4.00"). */
  readonly amount: string;
  readonly currency: string;
}

export type PortalView =
  | { readonly kind: "signed_out" }
  | { readonly kind: "not_enrolled"; readonly sponsorCode: string | null; readonly error?: string }
  | {
      readonly kind: "distributor";
      readonly code: string;
      readonly name: string | null;
      readonly status: string;
      readonly referralLink: string;
      readonly balances: readonly { readonly currency: string; readonly pending: string; readonly available: string }[];
      readonly earnings: readonly PortalEarning[];
      readonly downline: readonly { readonly level: number; readonly members: number }[];
      readonly payouts: PortalPayouts;
      /** The answer to a form the affiliate just submitted (the payout method). */
      readonly notice?: { readonly ok: boolean; readonly message: string };
    };

const ENTRY_LABELS: Record<string, string> = {
  commission: "Commission",
  commission_reversal: "Refund adjustment",
  hold_release: "Became available",
  period_commission: "Period bonus",
  period_correction: "Period bonus correction",
};

export async function portalView(
  client: DbOrTx,
  shop: { id: string; domain: string },
  customerId: string | null,
  options: { sponsorCode?: string | null; notice?: { ok: boolean; message: string } } = {},
): Promise<PortalView> {
  if (!customerId) return { kind: "signed_out" };
  const found = await findDistributorByCustomer(client, shop.id, "shopify", customerId);
  if (!found) return { kind: "not_enrolled", sponsorCode: options.sponsorCode ?? null };
  const [distributor, balances, page, downline, payouts] = await Promise.all([
    client.distributor.findFirstOrThrow({ where: { id: found.id, shopId: shop.id }, select: { code: true, name: true, status: true } }),
    walletBalances(client, shop.id, found.id),
    walletEntries(client, shop.id, found.id, { limit: PORTAL_ENTRIES, before: null }),
    downlinePage(client, shop.id, found.id, new Date(), PORTAL_DOWNLINE_LEVELS, null, 1),
    portalPayouts(client, shop.id, found.id),
  ]);
  return {
    kind: "distributor",
    code: distributor.code,
    name: distributor.name,
    status: distributor.status,
    referralLink: referralLink(shop.domain, distributor.code),
    balances: balances.map((balance) => ({
      currency: balance.currency,
      pending: formatMinor(balance.pendingMinor, balance.currency),
      available: formatMinor(balance.availableMinor, balance.currency),
    })),
    // Only what the affiliate experiences as earnings: the pending side of each commission or refund (a hold
    // release moves money between their own wallets and is shown as such).
    earnings: page.entries.map((entry) => ({
      occurredAt: entry.occurredAt.toISOString(),
      label: `${ENTRY_LABELS[entry.kind] ?? entry.kind}${entry.accountKind === "wallet_available" ? " (available)" : ""}`,
      // Wallets are liabilities: a credit (negative posting) is money the affiliate gained.
      amount: formatMinor(-entry.amountMinor, entry.currency),
      currency: entry.currency,
    })),
    downline: downline.levels.map((level) => ({ level: level.level, members: level.members })),
    payouts,
    ...(options.notice ? { notice: options.notice } : {}),
  };
}

/** The link an affiliate shares: the theme extension stores `ref` and writes it into the cart. */
export function referralLink(shopDomain: string, code: string): string {
  return `https://${shopDomain}/?ref=${encodeURIComponent(code)}`;
}

/**
 * "Join" from the portal: the signed-in customer becomes a distributor under the code they give (or the one
 * their referral link carried), else under the company. Joining twice is harmless: the customer account is the
 * natural key, so the second request finds the first.
 */
export async function joinFromPortal(
  client: DbOrTx,
  shop: { id: string; domain: string },
  customerId: string,
  sponsorCode: string | null,
): Promise<PortalView> {
  const existing = await findDistributorByCustomer(client, shop.id, "shopify", customerId);
  if (!existing) {
    try {
      await createDistributor(client, shop.id, {
        sponsor: sponsorCode,
        customer: { platform: "shopify", id: customerId },
        actor: `portal:customer:${customerId}`,
      });
    } catch (error) {
      if (!(error instanceof GenealogyServiceError)) throw error;
      // A concurrent join by the same customer lost the race: the account is linked now, which is what they asked.
      if (error.code !== "customer_already_linked") {
        const message = error.code === "unknown_sponsor" ? `No affiliate has the code "${sponsorCode}".` : error.message;
        return { kind: "not_enrolled", sponsorCode, error: message };
      }
    }
  }
  return portalView(client, shop, customerId);
}
