/** Preview: the pure payout plan over the balances as they are now. Writes nothing. */
import { planPayouts, type PayoutPlan } from "~/domain/payouts";
import type { DbOrTx } from "~/db/tx.server";
import { payeeBalances, payoutRules } from "./balances.server";

export interface Preview extends PayoutPlan {
  readonly asOf: Date;
  readonly codes: ReadonlyMap<string, string>;
}

export async function previewPayouts(client: DbOrTx, shopId: string, options: { currency?: string | null } = {}): Promise<Preview> {
  const asOf = new Date();
  const [{ balances, payees }, rules] = await Promise.all([payeeBalances(client, shopId), payoutRules(client, shopId)]);
  const plan = planPayouts({ balances, payees, rules, currency: options.currency ?? null });
  return { ...plan, asOf, codes: new Map([...payees].map(([id, payee]) => [id, payee.code])) };
}
