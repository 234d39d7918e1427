/**
 * The payout part of the affiliate portal: the affiliate's own payout history, the next expected payout per
 * currency (available balance against the minimum, or why it is held back, and the schedule's next date), the
 * payout method on file (masked), and the method form an affiliate may submit: a PayPal e-mail, or Shopify
 * store credit on their own customer account. Every query is by the shop and the distributor the app proxy's
 * signed customer id resolved to, so an affiliate never sees another's payouts.
 *
 * The destination (e-mail) is personal data: it is validated, stored and masked, and never logged; refusals
 * name the field, never its value.
 */
import { z } from "zod";
import { formatMinor } from "~/domain/money";
import { minimumFor, planPayouts } from "~/domain/payouts";
import { nextScheduledPayout } from "~/domain/payouts/next-payout";
import type { Db } from "~/db.server";
import type { DbOrTx } from "~/db/tx.server";
import { availableBalances, payeesOf, payoutRules } from "~/services/payouts/balances.server";
import { payoutMethodBody, setPayoutMethod } from "~/services/payouts/methods.server";

export const PORTAL_PAYOUTS = 10;

export interface PortalPayoutRow {
  readonly date: string;
  readonly amount: string;
  readonly currency: string;
  readonly method: string;
  readonly status: string;
}

export interface PortalNextPayout {
  readonly currency: string;
  readonly available: string;
  readonly minimum: string;
  /** Paid in the next run (true), or held back with the reason in words. */
  readonly due: boolean;
  readonly heldReason: string | null;
}

export interface PortalPayouts {
  readonly history: readonly PortalPayoutRow[];
  readonly next: readonly PortalNextPayout[];
  /** ISO date of the schedule's next run, or null for a manual schedule. */
  readonly nextDate: string | null;
  readonly method: { readonly kind: string; readonly destination: string | null; readonly onHold: boolean } | null;
}

const STATUS_WORDS: Record<string, string> = { pending: "Processing", submitted: "Processing", paid: "Paid", failed: "Failed", returned: "Returned" };
const METHOD_WORDS: Record<string, string> = { paypal: "PayPal", store_credit: "Store credit", bank: "Bank transfer", stripe: "Stripe" };
const HELD_WORDS: Record<string, string> = {
  negative_balance: "An earlier refund is being paid off first.",
  status_not_active: "Your account is not active.",
  no_payout_method: "Choose how you want to be paid below.",
  on_hold: "Payouts to you are on hold; contact the store.",
  below_threshold: "Below the minimum payout: it carries over until it reaches it.",
};

export const methodWords = (kind: string) => METHOD_WORDS[kind] ?? kind;

/** "j•••@example.com": enough for the affiliate to recognise their address, not enough to read it off a screen. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return "•••";
  return `${email[0]}•••${email.slice(at)}`;
}

export async function portalPayouts(client: DbOrTx, shopId: string, distributorId: string, now = new Date()): Promise<PortalPayouts> {
  const [items, balances, payees, rules, method] = await Promise.all([
    // Items of approved (or later) runs only: a draft is not a payout yet, a cancelled item never paid anything.
    client.payoutItem.findMany({
      where: { shopId, distributorId, status: { not: "cancelled" }, run: { status: { not: "draft" } } },
      orderBy: { createdAt: "desc" },
      take: PORTAL_PAYOUTS,
      select: { amountMinor: true, currency: true, method: true, status: true, createdAt: true, paidAt: true },
    }),
    availableBalances(client, shopId, [distributorId]),
    payeesOf(client, shopId, [distributorId]),
    payoutRules(client, shopId),
    client.payoutMethod.findUnique({ where: { shopId_distributorId: { shopId, distributorId } }, select: { method: true, details: true, onHold: true } }),
  ]);
  const plan = planPayouts({ balances, payees, rules });
  const payee = payees.get(distributorId);
  const minimum = (currency: string) => formatMinor(payee?.method ? minimumFor(rules, payee.method.kind) : rules.minimumMinor, currency);
  const next = [...balances]
    .filter((b) => b.availableMinor !== 0n)
    .sort((a, b) => a.currency.localeCompare(b.currency))
    .map((balance) => {
      const held = plan.heldBack.find((h) => h.currency === balance.currency);
      return {
        currency: balance.currency,
        available: formatMinor(balance.availableMinor, balance.currency),
        minimum: minimum(balance.currency),
        due: !held,
        heldReason: held ? (HELD_WORDS[held.reason] ?? held.reason) : null,
      };
    });
  const details = (method?.details ?? {}) as { email?: string };
  return {
    history: items.map((item) => ({
      date: (item.paidAt ?? item.createdAt).toISOString().slice(0, 10),
      amount: formatMinor(item.amountMinor, item.currency),
      currency: item.currency,
      method: methodWords(item.method),
      status: STATUS_WORDS[item.status] ?? item.status,
    })),
    next,
    nextDate: nextScheduledPayout(rules.schedule, now)?.toISOString().slice(0, 10) ?? null,
    method: method ? { kind: method.method, destination: details.email ? maskEmail(details.email) : null, onHold: method.onHold } : null,
  };
}

/** What the portal's form may set: PayPal with an e-mail, or store credit on the signed-in customer's own account. */
export const portalMethodForm = z.discriminatedUnion("method", [
  z.object({ intent: z.literal("payout_method"), method: z.literal("paypal"), paypal_email: z.email().max(320) }),
  z.object({ intent: z.literal("payout_method"), method: z.literal("store_credit") }),
]);

export type PortalMethodOutcome = { readonly ok: true; readonly message: string } | { readonly ok: false; readonly message: string };

/**
 * Saves the affiliate's payout method. A merchant's hold (and its reason) is kept: the affiliate can change
 * where the money goes, never whether it is paid.
 */
export async function savePortalPayoutMethod(
  db: Db,
  shopId: string,
  distributorId: string,
  customerId: string,
  fields: Record<string, unknown>,
): Promise<PortalMethodOutcome> {
  const parsed = portalMethodForm.safeParse(fields);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join(".") ?? "";
    return { ok: false, message: field === "paypal_email" ? "Enter the e-mail address of your PayPal account." : "Choose PayPal or store credit." };
  }
  const current = await db.payoutMethod.findUnique({ where: { shopId_distributorId: { shopId, distributorId } }, select: { onHold: true, holdReason: true } });
  const details = parsed.data.method === "paypal" ? { email: parsed.data.paypal_email } : { customer_id: `gid://shopify/Customer/${customerId}` };
  const body = payoutMethodBody.parse({ method: parsed.data.method, details, on_hold: current?.onHold ?? false, hold_reason: current?.holdReason ?? null });
  await setPayoutMethod(db, shopId, distributorId, body, `portal:customer:${customerId}`);
  return { ok: true, message: parsed.data.method === "paypal" ? "Saved: you will be paid by PayPal." : "Saved: you will be paid in store credit." };
}
