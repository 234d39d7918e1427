/** Preview: the pure payout plan over the balances as they are now. Writes nothing. */
import { planPayouts, type PayoutPlan } from "~/domain/payouts";
import type { DbOrTx } from "~/db/tx.server";
import { availableBalances, payeesOf, payoutRules } from "./balances.server";

export interface Preview extends PayoutPlan {
  readonly asOf: Date;
  readonly codes: ReadonlyMap<string, string>;
}

export async function previewPayouts(client: DbOrTx, shopId: string, options: { currency?: string | null } = {}): Promise<Preview> {
  const asOf = new Date();
  const [balances, rules] = await Promise.all([availableBalances(client, shopId), payoutRules(client, shopId)]);
  const payees = await payeesOf(client, shopId, [...new Set(balances.map((b) => b.distributorId))]);
  const plan = planPayouts({ balances, payees, rules, currency: options.currency ?? null });
  return { ...plan, asOf, codes: new Map([...payees].map(([id, payee]) => [id, payee.code])) };
}
