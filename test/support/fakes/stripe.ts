/**
 * A local Stripe API for Connect transfers that answers like the real one (docs.stripe.com/api/transfers,
 * /api/idempotent_requests): POST /v1/transfers (form-encoded amount, currency, destination) creates a transfer
 * `tr_…`; the same Idempotency-Key returns the first response (status and body) again, and the same key with
 * other parameters is a 400 idempotency_error. A destination that is not `acct_…` is a 400 resource_missing.
 * Faults, consumed in order: "5xx" (500, nothing created) and "accept-then-timeout" (created, answered late).
 */
import { randomBytes } from "node:crypto";
import { startFakeServer, type FakeReply, type FakeServer } from "./http";

export type StripeFault = "5xx" | "accept-then-timeout";

export interface FakeStripe extends FakeServer {
  readonly faults: StripeFault[];
  /** Transfers created, by metadata[payout_item_id]. */
  readonly created: Map<string, number>;
  delayMs: number;
}

export async function startFakeStripe(secretKey: string): Promise<FakeStripe> {
  const faults: StripeFault[] = [];
  const created = new Map<string, number>();
  const keys = new Map<string, { params: string; reply: FakeReply }>();
  const state = { delayMs: 2_000 };
  const server = await startFakeServer((request): FakeReply => {
    if (request.headers.authorization !== `Bearer ${secretKey}`) {
      return { status: 401, body: { error: { type: "invalid_request_error", message: "Invalid API Key provided" } } };
    }
    if (request.method !== "POST" || request.path !== "/v1/transfers")
      return { status: 404, body: { error: { type: "invalid_request_error", message: "Unrecognized request URL" } } };
    const key = String(request.headers["idempotency-key"] ?? "");
    const stored = key ? keys.get(key) : undefined;
    if (stored) {
      if (stored.params !== request.body) {
        return {
          status: 400,
          body: {
            error: { type: "idempotency_error", message: "Keys for idempotent requests can only be used with the same parameters they were first used with." },
          },
        };
      }
      return { status: stored.reply.status, body: stored.reply.body };
    }
    const fault = faults.shift();
    if (fault === "5xx") return { status: 500, body: { error: { type: "api_error", message: "An unknown error occurred" } } };
    const params = new URLSearchParams(request.body);
    let reply: FakeReply;
    if (!/^acct_[A-Za-z0-9]+$/.test(params.get("destination") ?? "")) {
      reply = {
        status: 400,
        body: {
          error: {
            type: "invalid_request_error",
            code: "resource_missing",
            param: "destination",
            message: `No such destination: '${params.get("destination")}'`,
          },
        },
      };
    } else {
      const itemId = params.get("metadata[payout_item_id]") ?? "";
      created.set(itemId, (created.get(itemId) ?? 0) + 1);
      reply = {
        status: 200,
        body: {
          id: `tr_${randomBytes(12).toString("hex")}`,
          object: "transfer",
          amount: Number(params.get("amount")),
          currency: params.get("currency"),
          destination: params.get("destination"),
          transfer_group: params.get("transfer_group"),
          metadata: { payout_item_id: itemId },
          reversed: false,
        },
      };
    }
    if (key) keys.set(key, { params: request.body, reply });
    return fault === "accept-then-timeout" ? { ...reply, delayMs: state.delayMs } : reply;
  });
  return Object.assign(server, {
    faults,
    created,
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(value: number) {
      state.delayMs = value;
    },
  });
}
