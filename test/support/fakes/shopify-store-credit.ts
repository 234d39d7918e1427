/**
 * A local Shopify Admin GraphQL endpoint for store credit that answers like the real one (shopify.dev,
 * storeCreditAccountCredit and StoreCreditAccount.transactions): the credit mutation creates the customer's
 * account in that currency if needed and a StoreCreditAccountCreditTransaction; the customer query lists the
 * accounts with their transactions, newest first. It needs X-Shopify-Access-Token. Faults, consumed in order
 * by the next credit: "5xx" (nothing credited) and "accept-then-timeout" (credited, answered late).
 */
import { randomInt } from "node:crypto";
import { startFakeServer, type FakeReply, type FakeServer } from "./http";

export type StoreCreditFault = "5xx" | "accept-then-timeout";

interface CreditTx {
  id: string;
  createdAt: string;
  amount: { amount: string; currencyCode: string };
}

export interface FakeStoreCredit extends FakeServer {
  readonly faults: StoreCreditFault[];
  /** Credit transactions per customer GID. */
  readonly credits: Map<string, CreditTx[]>;
  delayMs: number;
}

export async function startFakeStoreCredit(accessToken: string): Promise<FakeStoreCredit> {
  const faults: StoreCreditFault[] = [];
  const credits = new Map<string, CreditTx[]>();
  const state = { delayMs: 2_000 };
  const server = await startFakeServer((request): FakeReply => {
    if (request.headers["x-shopify-access-token"] !== accessToken)
      return { status: 401, body: { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" } };
    if (request.method !== "POST" || !/^\/admin\/api\/[\d-]+\/graphql\.json$/.test(request.path)) return { status: 404, body: { errors: "Not Found" } };
    const { query, variables } = JSON.parse(request.body) as { query: string; variables: Record<string, unknown> };
    if (query.includes("storeCreditAccountCredit(")) {
      const fault = faults.shift();
      if (fault === "5xx") return { status: 503, body: { errors: "Service Unavailable" } };
      const id = String(variables.id);
      const input = variables.creditInput as { creditAmount: { amount: string; currencyCode: string } };
      if (!/^gid:\/\/shopify\/Customer\/\d+$/.test(id)) {
        return {
          status: 200,
          body: {
            data: {
              storeCreditAccountCredit: {
                storeCreditAccountTransaction: null,
                userErrors: [{ code: "ACCOUNT_NOT_FOUND", field: ["id"], message: "Store credit account does not exist." }],
              },
            },
          },
        };
      }
      const tx: CreditTx = {
        id: `gid://shopify/StoreCreditAccountCreditTransaction/${randomInt(1e9)}`,
        createdAt: new Date().toISOString(),
        amount: input.creditAmount,
      };
      credits.set(id, [...(credits.get(id) ?? []), tx]);
      const reply: FakeReply = {
        status: 200,
        body: { data: { storeCreditAccountCredit: { storeCreditAccountTransaction: { id: tx.id, amount: tx.amount }, userErrors: [] } } },
      };
      return fault === "accept-then-timeout" ? { ...reply, delayMs: state.delayMs } : reply;
    }
    if (query.includes("customer(id:")) {
      const list = credits.get(String(variables.id)) ?? [];
      const currencies = [...new Set(list.map((tx) => tx.amount.currencyCode))];
      const nodes = currencies.map((currencyCode) => ({
        balance: { currencyCode },
        transactions: {
          nodes: list
            .filter((tx) => tx.amount.currencyCode === currencyCode)
            .reverse()
            .map((tx) => ({ __typename: "StoreCreditAccountCreditTransaction", ...tx })),
        },
      }));
      return { status: 200, body: { data: { customer: { storeCreditAccounts: { nodes } } } } };
    }
    return { status: 200, body: { errors: [{ message: "unsupported query in the fake" }] } };
  });
  return Object.assign(server, {
    faults,
    credits,
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(value: number) {
      state.delayMs = value;
    },
  });
}
