/**
 * Shared by the forgery, replay and fuzz tests: raw HTTP (node:http, so a test can send what fetch refuses to
 * build: undecodable paths, latin-1 header bytes, bodies that are not UTF-8), the run count, and a snapshot of
 * every row a delivery could change.
 */
import http from "node:http";
import { generateKeyPairSync, sign } from "node:crypto";
import { db } from "~/db.server";

/** Generated cases per route; FUZZ_RUNS=3000 for the long run. The default keeps the suite under 2 minutes. */
export const FUZZ_RUNS = Math.max(1, Number(process.env.FUZZ_RUNS ?? 100));

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export interface RawResponse {
  status: number;
  body: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

/** One request over loopback, with exactly the bytes given (no URL or header normalization by a client). */
export function rawRequest(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const body = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, "utf8");
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      {
        agent,
        hostname,
        port,
        method: request.method ?? "POST",
        path: request.path,
        headers: { ...(body ? { "Content-Length": String(body.length) } : {}), ...request.headers },
        insecureHTTPParser: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** True when node:http would refuse to send this header value (the client's check, not the server's). */
export function sendableHeader(value: string): boolean {
  return !/[^\t\x20-\x7e\x80-\xff]/.test(value);
}

/** An RSA key pair as Adobe I/O Events uses: the public key is the connection's, the private one signs. */
export function adobeKeys() {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    sign: (body: string | Buffer) => sign("sha256", Buffer.from(body), privateKey).toString("base64"),
  };
}

/**
 * Every row a delivery can create or change, per shop: counts, what each order says (a re-applied identical
 * order may touch its row's update time, not its content), the ledger's sum per account (distributors' wallets
 * included) and the shop's own status. Two equal snapshots mean nothing changed. The inbox count is left out
 * where a test expects a stored-but-ignored row.
 */
export async function rowSnapshot(shopIds: readonly string[], { withInbox = true } = {}) {
  const snapshot: Record<string, unknown> = { shops: await db().shop.count() };
  for (const shopId of shopIds) {
    const where = { shopId };
    const [lines, refunds, commissions, reversals, transactions, distributors, customerRefs, audit, inbox, shop, orders, balances] = await Promise.all([
      db().orderLine.count({ where }),
      db().refund.count({ where }),
      db().commission.count({ where }),
      db().commissionReversal.count({ where }),
      db().ledgerTransaction.count({ where }),
      db().distributor.count({ where }),
      db().distributorCustomerRef.count({ where }),
      db().auditLog.count({ where }),
      withInbox ? db().webhookEvent.count({ where }) : Promise.resolve(null),
      db().shop.findUnique({ where: { id: shopId }, select: { status: true, uninstalledAt: true, domain: true } }),
      db().order.findMany({
        where,
        select: { platformOrderId: true, status: true, totalMinor: true, referralCode: true, platformUpdatedAt: true },
        orderBy: { platformOrderId: "asc" },
      }),
      db().ledgerPosting.groupBy({ by: ["account"], where, _sum: { amountMinor: true }, orderBy: { account: "asc" } }),
    ]);
    snapshot[shopId] = { lines, refunds, commissions, reversals, transactions, distributors, customerRefs, audit, inbox, shop, orders, balances };
  }
  return snapshot;
}
