/**
 * A local PayPal Payouts API that answers like the real one (developer.paypal.com, Payouts v1):
 *   POST /v1/oauth2/token                  client credentials (Basic auth) → access_token
 *   POST /v1/payments/payouts              201 {batch_header: {payout_batch_id, batch_status: PENDING}}; at most
 *                                          15,000 items; a sender_batch_id used before → 400 USER_BUSINESS_ERROR
 *                                          with a HATEOAS link to the original payout
 *   GET  /v1/payments/payouts/{id}         the batch and its items; item statuses move on asynchronously, one
 *                                          step per read: PENDING → SUCCESS, or (receiver "returned…") PENDING →
 *                                          UNCLAIMED → RETURNED, or (receiver "fail…") PENDING → FAILED
 * Faults, consumed in order by the next create: "5xx" (answer 500, record nothing) and "accept-then-timeout"
 * (record the batch, answer only after delayMs). `created` counts how often each sender_item_id was paid.
 */
import { randomBytes } from "node:crypto";
import { startFakeServer, type FakeReply, type FakeServer } from "./http";

export type PayPalFault = "5xx" | "accept-then-timeout";

interface FakeItem {
  payout_item_id: string;
  sender_item_id: string;
  receiver: string;
  amount: { value: string; currency: string };
  steps: string[];
  step: number;
}

interface FakeBatch {
  payout_batch_id: string;
  sender_batch_id: string;
  items: FakeItem[];
}

export interface FakePayPal extends FakeServer {
  readonly faults: PayPalFault[];
  readonly created: Map<string, number>;
  readonly batches: Map<string, FakeBatch>;
  delayMs: number;
}

const id = (n: number) => randomBytes(n).toString("hex").toUpperCase();

function itemSteps(receiver: string): string[] {
  if (receiver.startsWith("returned")) return ["PENDING", "UNCLAIMED", "RETURNED"];
  if (receiver.startsWith("fail")) return ["PENDING", "FAILED"];
  return ["PENDING", "SUCCESS"];
}

export async function startFakePayPal(): Promise<FakePayPal> {
  const faults: PayPalFault[] = [];
  const created = new Map<string, number>();
  const batches = new Map<string, FakeBatch>(); // by sender_batch_id
  const byPayoutId = new Map<string, FakeBatch>();
  const tokens = new Set<string>();
  const state = { delayMs: 2_000 };

  const batchJson = (batch: FakeBatch, base: string, advance: boolean) => {
    if (advance) for (const item of batch.items) item.step = Math.min(item.step + 1, item.steps.length - 1);
    const statuses = batch.items.map((item) => item.steps[item.step]!);
    const batchStatus = statuses.every((s) => s !== "PENDING") ? "SUCCESS" : "PROCESSING";
    return {
      batch_header: { payout_batch_id: batch.payout_batch_id, batch_status: batchStatus, sender_batch_header: { sender_batch_id: batch.sender_batch_id } },
      items: batch.items.map((item) => ({
        payout_item_id: item.payout_item_id,
        transaction_status: item.steps[item.step],
        payout_batch_id: batch.payout_batch_id,
        payout_item: { recipient_type: "EMAIL", amount: item.amount, receiver: item.receiver, sender_item_id: item.sender_item_id },
        ...(item.steps[item.step] === "FAILED" ? { errors: { name: "RECEIVER_UNREGISTERED", message: "Receiver is unregistered" } } : {}),
        links: [{ href: `${base}/v1/payments/payouts-item/${item.payout_item_id}`, rel: "item", method: "GET" }],
      })),
      links: [{ href: `${base}/v1/payments/payouts/${batch.payout_batch_id}`, rel: "self", method: "GET" }],
    };
  };

  const server = await startFakeServer((request, base): FakeReply => {
    if (request.method === "POST" && request.path === "/v1/oauth2/token") {
      if (!request.headers.authorization?.startsWith("Basic ")) return { status: 401, body: { error: "invalid_client" } };
      const token = `A21AA${id(16)}`;
      tokens.add(token);
      return {
        status: 200,
        body: { scope: "https://uri.paypal.com/services/payments/payouts", access_token: token, token_type: "Bearer", expires_in: 32_400 },
      };
    }
    const bearer = request.headers.authorization?.replace(/^Bearer /, "") ?? "";
    if (!tokens.has(bearer)) return { status: 401, body: { error: "invalid_token", error_description: "Token signature verification failed" } };

    if (request.method === "POST" && request.path === "/v1/payments/payouts") {
      const fault = faults.shift();
      if (fault === "5xx") return { status: 500, body: { name: "INTERNAL_SERVICE_ERROR", message: "An internal service error has occurred." } };
      const body = JSON.parse(request.body) as {
        sender_batch_header: { sender_batch_id: string };
        items: { amount: FakeItem["amount"]; receiver: string; sender_item_id: string }[];
      };
      if (body.items.length > 15_000)
        return {
          status: 400,
          body: { name: "VALIDATION_ERROR", message: "Invalid request - see details", details: [{ field: "items", issue: "Number of items exceeds 15000" }] },
        };
      const existing = batches.get(body.sender_batch_header.sender_batch_id);
      if (existing) {
        return {
          status: 400,
          body: {
            name: "USER_BUSINESS_ERROR",
            message: "User business error.",
            debug_id: id(6),
            details: [{ field: "sender_batch_id", location: "body", issue: `Batch with given sender_batch_id already exists: ${existing.sender_batch_id}` }],
            links: [{ href: `${base}/v1/payments/payouts/${existing.payout_batch_id}`, rel: "self", method: "GET", encType: "application/json" }],
          },
        };
      }
      const batch: FakeBatch = {
        payout_batch_id: id(6),
        sender_batch_id: body.sender_batch_header.sender_batch_id,
        items: body.items.map((item) => ({
          payout_item_id: id(6),
          sender_item_id: item.sender_item_id,
          receiver: item.receiver,
          amount: item.amount,
          steps: itemSteps(item.receiver),
          step: 0,
        })),
      };
      batches.set(batch.sender_batch_id, batch);
      byPayoutId.set(batch.payout_batch_id, batch);
      for (const item of batch.items) created.set(item.sender_item_id, (created.get(item.sender_item_id) ?? 0) + 1);
      const reply = {
        batch_header: { payout_batch_id: batch.payout_batch_id, batch_status: "PENDING", sender_batch_header: body.sender_batch_header },
        links: [{ href: `${base}/v1/payments/payouts/${batch.payout_batch_id}`, rel: "self", method: "GET" }],
      };
      return { status: 201, body: reply, ...(fault === "accept-then-timeout" ? { delayMs: state.delayMs } : {}) };
    }
    const read = /^\/v1\/payments\/payouts\/([A-Z0-9]+)$/.exec(request.path);
    if (request.method === "GET" && read) {
      const batch = byPayoutId.get(read[1]!);
      if (!batch) return { status: 404, body: { name: "INVALID_RESOURCE_ID", message: "Requested resource ID was not found." } };
      return { status: 200, body: batchJson(batch, base, true) };
    }
    return { status: 404, body: { name: "NOT_FOUND" } };
  });
  return Object.assign(server, {
    faults,
    created,
    batches,
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(value: number) {
      state.delayMs = value;
    },
  });
}
