/**
 * Stripe Connect transfers: one POST /v1/transfers per item to the affiliate's connected account, with
 * Idempotency-Key = payout:<item id>. Stripe answers a repeated key with the first result (keys kept at least
 * 24 hours), so re-sending after a crash, a timeout or a 5xx is how we learn whether the transfer exists; it
 * is never made twice. A created transfer has moved the money to the connected account: the item is paid.
 */
import { joinKey } from "~/domain/engine/entry-key";
import { callProvider, jsonOf } from "./http.server";
import { ProviderUnavailableError, type PayoutProvider, type ProviderOutcome } from "./types";

export interface StripeSettings {
  readonly baseUrl: string;
  readonly secretKey: string;
  readonly timeoutMs: number;
}

export function stripeIdempotencyKey(itemId: string): string {
  return joinKey(["payout", itemId]);
}

export function stripeProvider(settings: StripeSettings): PayoutProvider {
  return {
    method: "stripe",
    polls: true,
    async pay(run, items) {
      const outcomes: ProviderOutcome[] = [];
      let unavailable: ProviderUnavailableError | null = null;
      for (const item of items) {
        const destination = String(item.destination.accountId ?? "");
        const form = new URLSearchParams({
          amount: item.amountMinor.toString(),
          currency: item.currency.toLowerCase(),
          destination,
          transfer_group: run.id,
          "metadata[payout_item_id]": item.id,
        });
        try {
          const response = await callProvider(
            "stripe",
            `${settings.baseUrl}/v1/transfers`,
            {
              method: "POST",
              headers: {
                Authorization: `Bearer ${settings.secretKey}`,
                "Content-Type": "application/x-www-form-urlencoded",
                "Idempotency-Key": stripeIdempotencyKey(item.id),
              },
              body: form.toString(),
            },
            settings.timeoutMs,
          );
          const body = await jsonOf(response);
          if (response.ok && typeof body.id === "string") outcomes.push({ itemId: item.id, state: "paid", reference: body.id });
          else if (response.status >= 500 || response.status === 429 || response.status === 409) {
            // 409: a request with this key is still in flight at Stripe; ask again later.
            throw new ProviderUnavailableError(`stripe: transfer answered ${response.status}`);
          } else {
            const error = (body.error ?? {}) as Record<string, unknown>;
            outcomes.push({ itemId: item.id, state: "failed", error: `${String(error.code ?? response.status)}: ${String(error.message ?? "refused")}` });
          }
        } catch (error) {
          if (!(error instanceof ProviderUnavailableError)) throw error;
          unavailable = error; // the other items still go out; this one is asked again on the retry
        }
      }
      if (unavailable) throw new ProviderUnavailableError(unavailable.message, outcomes);
      return outcomes;
    },
  };
}
