/**
 * PayPal Payouts (batch API). Each item was given its sender_batch_id at approval (the run id; <run>-1, … past
 * 15,000 items) and goes out with sender_item_id = its item id. PayPal pays a sender_batch_id once within 30
 * days and rejects a repeat with a link to the original, so re-sending a batch whose answer we never recorded
 * (crash, timeout) is how we ask what happened: we follow the link and read the items' statuses. After a 5xx the
 * same sender_batch_id is safe to retry. Item statuses arrive asynchronously (PENDING → SUCCESS, or UNCLAIMED →
 * RETURNED, FAILED, …): the worker polls GET /v1/payments/payouts/{payout_batch_id} until each is final.
 */
import { formatMinor } from "~/domain/money";
import type { ProviderState } from "~/domain/payouts";
import { callProvider, jsonOf } from "./http.server";
import { ProviderUnavailableError, type PayoutProvider, type ProviderItem, type ProviderOutcome, type ProviderRun } from "./types";

export interface PayPalSettings {
  /** https://api-m.paypal.com (live) or https://api-m.sandbox.paypal.com; a local fake in tests. */
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly timeoutMs: number;
}

const STATES: Record<string, ProviderState> = {
  SUCCESS: "paid",
  FAILED: "failed",
  BLOCKED: "failed",
  DENIED: "failed",
  REFUNDED: "returned",
  RETURNED: "returned",
  REVERSED: "returned",
};

function stateOf(status: string): ProviderState {
  return STATES[status] ?? "in_flight"; // PENDING, UNCLAIMED, ONHOLD, NEW: not final yet
}

export function payPalProvider(settings: PayPalSettings): PayoutProvider {
  let token: { value: string; expiresAt: number } | null = null;

  async function accessToken(): Promise<string> {
    if (token && token.expiresAt > Date.now() + 60_000) return token.value;
    const response = await callProvider(
      "paypal",
      `${settings.baseUrl}/v1/oauth2/token`,
      {
        method: "POST",
        headers: {
          Authorization: `Basic ${Buffer.from(`${settings.clientId}:${settings.clientSecret}`).toString("base64")}`,
          "Content-Type": "application/x-www-form-urlencoded",
        },
        body: "grant_type=client_credentials",
      },
      settings.timeoutMs,
    );
    const body = await jsonOf(response);
    if (!response.ok || typeof body.access_token !== "string") throw new ProviderUnavailableError(`paypal: token request answered ${response.status}`);
    token = { value: body.access_token, expiresAt: Date.now() + Number(body.expires_in ?? 0) * 1000 };
    return token.value;
  }

  async function request(method: "GET" | "POST", pathOrUrl: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const url = pathOrUrl.startsWith("http") ? pathOrUrl : `${settings.baseUrl}${pathOrUrl}`;
    const response = await callProvider(
      "paypal",
      url,
      {
        method,
        headers: { Authorization: `Bearer ${await accessToken()}`, "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      settings.timeoutMs,
    );
    if (response.status === 401) token = null;
    if (response.status >= 500 || response.status === 429 || response.status === 401)
      throw new ProviderUnavailableError(`paypal: ${method} answered ${response.status}`);
    return { status: response.status, body: await jsonOf(response) };
  }

  async function readBatch(batchUrl: string, items: readonly ProviderItem[]): Promise<ProviderOutcome[]> {
    const outcomes = new Map<string, ProviderOutcome>();
    // Item lists are paginated; follow "next" until every item of ours has a status.
    let url: string | null = batchUrl.includes("?") ? batchUrl : `${batchUrl}?page_size=1000&page=1`;
    for (let page = 0; url && page < 100; page++) {
      const { status, body } = await request("GET", url);
      if (status !== 200) throw new ProviderUnavailableError(`paypal: reading batch answered ${status}`);
      const header = (body.batch_header ?? {}) as Record<string, unknown>;
      const batchRef = typeof header.payout_batch_id === "string" ? header.payout_batch_id : null;
      for (const raw of (body.items ?? []) as Record<string, unknown>[]) {
        const payoutItem = (raw.payout_item ?? {}) as Record<string, unknown>;
        const senderItemId = String(payoutItem.sender_item_id ?? "");
        const errors = raw.errors as Record<string, unknown> | undefined;
        outcomes.set(senderItemId, {
          itemId: senderItemId,
          state: stateOf(String(raw.transaction_status ?? "PENDING")),
          reference: typeof raw.payout_item_id === "string" ? raw.payout_item_id : null,
          batchRef,
          error: errors ? String(errors.message ?? errors.name ?? "") : null,
        });
      }
      const next = ((body.links ?? []) as { rel?: string; href?: string }[]).find((link) => link.rel === "next");
      url = next?.href ?? null;
      if (items.every((item) => outcomes.has(item.id))) break;
    }
    // An item PayPal does not list in a batch it accepted is still being processed: ask again later.
    return items.map((item) => outcomes.get(item.id) ?? { itemId: item.id, state: "in_flight", batchRef: null });
  }

  async function send(run: ProviderRun, senderBatchId: string, items: readonly ProviderItem[]): Promise<ProviderOutcome[]> {
    const { status, body } = await request("POST", "/v1/payments/payouts", {
      sender_batch_header: { sender_batch_id: senderBatchId, email_subject: "You have a payout", recipient_type: "EMAIL" },
      items: items.map((item) => ({
        recipient_type: "EMAIL",
        amount: { value: formatMinor(item.amountMinor, item.currency), currency: item.currency },
        receiver: String(item.destination.email ?? ""),
        sender_item_id: item.id,
        note: `Commission payout ${run.id}`,
      })),
    });
    if (status === 201 || status === 200) {
      const header = (body.batch_header ?? {}) as Record<string, unknown>;
      const batchRef = String(header.payout_batch_id ?? "");
      if (header.batch_status === "DENIED") return items.map((item) => ({ itemId: item.id, state: "failed", batchRef, error: "PayPal denied the batch" }));
      return items.map((item) => ({ itemId: item.id, state: "in_flight", batchRef }));
    }
    // A repeat of a sender_batch_id PayPal already has: the answer links to the original.
    const original = ((body.links ?? []) as { href?: string; method?: string }[]).find((link) => link.href?.includes("/v1/payments/payouts/"));
    if (original?.href) return readBatch(original.href.split("?")[0]!, items);
    const message = `${String(body.name ?? status)}: ${String(body.message ?? "rejected")}`;
    return items.map((item) => ({ itemId: item.id, state: "failed", error: message }));
  }

  return {
    method: "paypal",
    polls: true,
    async pay(run, items) {
      const batches = new Map<string, ProviderItem[]>();
      for (const item of items) {
        if (!item.providerBatch) throw new Error(`paypal item ${item.id} has no sender_batch_id (assigned at approval)`);
        batches.set(item.providerBatch, [...(batches.get(item.providerBatch) ?? []), item]);
      }
      const outcomes: ProviderOutcome[] = [];
      for (const [senderBatchId, batch] of batches) {
        const known = batch.find((item) => item.providerBatchRef)?.providerBatchRef;
        outcomes.push(...(known ? await readBatch(`${settings.baseUrl}/v1/payments/payouts/${known}`, batch) : await send(run, senderBatchId, batch)));
      }
      return outcomes;
    },
  };
}
