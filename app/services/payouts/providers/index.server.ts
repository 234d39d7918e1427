/**
 * The configured rails, read from the environment when a job runs (so tests point them at local fakes):
 *   PAYPAL_BASE_URL (default the sandbox), PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET
 *   STRIPE_BASE_URL (default https://api.stripe.com), STRIPE_SECRET_KEY
 *   SHOPIFY_ADMIN_API_URL (the Admin API client's URL template; SHOPIFY_ADMIN_BASE_URL still read as a base):
 *   store credit through the shop's offline session
 *   PAYOUT_PROVIDER_TIMEOUT_MS (default 15000)
 * The bank file is always available; a rail without credentials is simply absent (its items wait, with the
 * reason in lastError).
 */
import { bankCsvProvider } from "./bank-csv.server";
import { payPalProvider } from "./paypal.server";
import { storeCreditProvider } from "./store-credit.server";
import { stripeProvider } from "./stripe.server";
import type { Providers } from "./types";
import { db } from "~/db.server";
import { adminApiUrlFromEnv, offlineAccessToken } from "~/services/shopify/admin-client.server";

export async function creditClaimed(transactionId: string): Promise<boolean> {
  return (await db().payoutItem.count({ where: { method: "store_credit", providerReference: transactionId } })) > 0;
}

export function providersFromEnv(env: Record<string, string | undefined> = process.env): Providers {
  const timeoutMs = Number(env.PAYOUT_PROVIDER_TIMEOUT_MS ?? 15_000);
  const providers: Providers = { bank: bankCsvProvider };
  if (env.PAYPAL_CLIENT_ID && env.PAYPAL_CLIENT_SECRET) {
    providers.paypal = payPalProvider({
      baseUrl: env.PAYPAL_BASE_URL ?? "https://api-m.sandbox.paypal.com",
      clientId: env.PAYPAL_CLIENT_ID,
      clientSecret: env.PAYPAL_CLIENT_SECRET,
      timeoutMs,
    });
  }
  if (env.STRIPE_SECRET_KEY) {
    providers.stripe = stripeProvider({ baseUrl: env.STRIPE_BASE_URL ?? "https://api.stripe.com", secretKey: env.STRIPE_SECRET_KEY, timeoutMs });
  }
  providers.store_credit = storeCreditProvider({
    baseUrl: null,
    apiUrl: adminApiUrlFromEnv(env),
    accessToken: offlineAccessToken,
    isClaimed: creditClaimed,
    timeoutMs,
  });
  return providers;
}
