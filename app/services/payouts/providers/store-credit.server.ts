/**
 * Shopify store credit for affiliates who are customers of the shop: Admin GraphQL `storeCreditAccountCredit`
 * with the customer's GID as `id` (the account is created if the customer has none in that currency). Scope
 * write_store_credit_account_transactions (and read_… for the check below), requested in shopify.app.toml.
 *
 * The mutation takes no idempotency key (the @idempotent directive is documented for inventory and refund
 * mutations, not this one) and a credit transaction has no memo to carry ours. So a retry after an unknown
 * outcome (the intent was recorded, attemptCount > 1) first reads the customer's store credit transactions in
 * the item's currency since the first attempt: a credit of exactly the item's amount there is ours, and the item
 * is paid with it instead of being credited again, unless another item already claimed that transaction. (A merchant crediting the same customer the same amount by
 * hand inside that window would be taken for ours: the safe side, never a double credit.)
 */
import { formatMinor, parseDecimalToMinor } from "~/domain/money";
import { AdminApiAuthError, AdminApiUnavailableError, ShopifyAdminClient } from "~/services/shopify/admin-client.server";
import { ProviderUnavailableError, type PayoutProvider, type ProviderItem, type ProviderOutcome, type ProviderRun } from "./types";

export const STORE_CREDIT_API_VERSION = "2026-01";

export interface StoreCreditSettings {
  /** Null: https://{shop domain}. A local fake in tests. Ignored when `apiUrl` is given. */
  readonly baseUrl: string | null;
  /** SHOPIFY_ADMIN_API_URL, the Admin API client's template ({shop}, {version}). */
  readonly apiUrl?: string | null;
  readonly accessToken: (shopDomain: string) => Promise<string | null>;
  /** Whether a credit transaction is already the confirmation of another payout item (never claimed twice). */
  readonly isClaimed: (transactionId: string) => Promise<boolean>;
  readonly timeoutMs: number;
}

const CREDIT = `mutation Credit($id: ID!, $creditInput: StoreCreditAccountCreditInput!) {
  storeCreditAccountCredit(id: $id, creditInput: $creditInput) {
    storeCreditAccountTransaction { id amount { amount currencyCode } }
    userErrors { code field message }
  }
}`;

const RECENT_CREDITS = `query Recent($id: ID!) {
  customer(id: $id) {
    storeCreditAccounts(first: 10) {
      nodes {
        balance { currencyCode }
        transactions(first: 100, reverse: true) {
          nodes { __typename ... on StoreCreditAccountCreditTransaction { id createdAt amount { amount currencyCode } } }
        }
      }
    }
  }
}`;

export function storeCreditProvider(settings: StoreCreditSettings): PayoutProvider {
  // Every Admin API call goes through the one client (rate limits, retries). It never resends a mutation whose
  // answer was lost: that is reported here as unavailable, and the next attempt looks for the credit first.
  const client = new ShopifyAdminClient({
    apiUrl: settings.apiUrl ?? (settings.baseUrl ? `${settings.baseUrl.replace(/\/$/, "")}/admin/api/{version}/graphql.json` : null),
    apiVersion: STORE_CREDIT_API_VERSION,
    accessToken: settings.accessToken,
    timeoutMs: settings.timeoutMs,
    maxAttempts: 3,
  });

  async function graphql(run: ProviderRun, query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
    try {
      return (await client.graphql<Record<string, unknown>>(run.shopDomain, query, variables)).data;
    } catch (error) {
      // No session, a revoked token, Shopify away or still throttling: try the item again later.
      if (error instanceof AdminApiAuthError || error instanceof AdminApiUnavailableError) throw new ProviderUnavailableError(`store credit: ${error.message}`);
      throw new Error(`store credit: ${error instanceof Error ? error.message : String(error)}`.slice(0, 400));
    }
  }

  async function alreadyCredited(run: ProviderRun, item: ProviderItem, customerId: string, since: Date): Promise<string | null> {
    const data = await graphql(run, RECENT_CREDITS, { id: customerId });
    const accounts = ((data.customer as Record<string, unknown> | null)?.storeCreditAccounts as { nodes?: unknown[] } | undefined)?.nodes ?? [];
    for (const account of accounts as {
      transactions?: { nodes?: { __typename?: string; id?: string; createdAt?: string; amount?: { amount: string; currencyCode: string } }[] };
    }[]) {
      for (const tx of account.transactions?.nodes ?? []) {
        if (tx.__typename !== "StoreCreditAccountCreditTransaction" || !tx.amount || !tx.createdAt || !tx.id) continue;
        if (tx.amount.currencyCode !== item.currency || new Date(tx.createdAt).getTime() < since.getTime() - 60_000) continue;
        if (parseDecimalToMinor(tx.amount.amount, item.currency) !== item.amountMinor) continue;
        if (!(await settings.isClaimed(tx.id))) return tx.id;
      }
    }
    return null;
  }

  return {
    method: "store_credit",
    polls: true,
    async pay(run, items) {
      const outcomes: ProviderOutcome[] = [];
      let unavailable: ProviderUnavailableError | null = null;
      for (const item of items) {
        const customerId = String(item.destination.customerId ?? "");
        try {
          if (item.attemptCount > 1) {
            const existing = await alreadyCredited(run, item, customerId, item.submittedAt ?? new Date(0));
            if (existing) {
              outcomes.push({ itemId: item.id, state: "paid", reference: existing });
              continue;
            }
          }
          const data = await graphql(run, CREDIT, {
            id: customerId,
            creditInput: { creditAmount: { amount: formatMinor(item.amountMinor, item.currency), currencyCode: item.currency }, notify: true },
          });
          const payload = (data.storeCreditAccountCredit ?? {}) as {
            storeCreditAccountTransaction?: { id?: string } | null;
            userErrors?: { code?: string; message?: string }[];
          };
          if (payload.storeCreditAccountTransaction?.id) outcomes.push({ itemId: item.id, state: "paid", reference: payload.storeCreditAccountTransaction.id });
          else
            outcomes.push({
              itemId: item.id,
              state: "failed",
              error: (payload.userErrors ?? []).map((e) => `${e.code ?? ""}: ${e.message ?? ""}`).join("; ") || "no transaction created",
            });
        } catch (error) {
          if (!(error instanceof ProviderUnavailableError)) throw error;
          unavailable = error;
        }
      }
      if (unavailable) throw new ProviderUnavailableError(unavailable.message, outcomes);
      return outcomes;
    },
  };
}
