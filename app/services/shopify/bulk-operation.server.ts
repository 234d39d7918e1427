/**
 * A bulk query, start to JSONL (shopify.dev: bulk operations queries; bulkOperationRunQuery; BulkOperation):
 * bulkOperationRunQuery starts it (userErrors such as OPERATION_IN_PROGRESS are thrown by name), the operation is
 * polled through `node(id:)` until COMPLETED, FAILED, CANCELED or EXPIRED, and the result file at `url` (signed,
 * valid seven days, null when nothing matched) is read line by line as it downloads.
 */
import { assertNoUserErrors, AdminApiError, type ShopifyAdminClient } from "./admin-client.server";

const RUN = `mutation RunBulkQuery($query: String!) {
  bulkOperationRunQuery(query: $query, groupObjects: true) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}`;

const POLL = `query BulkOperationStatus($id: ID!) {
  node(id: $id) { ... on BulkOperation { id status errorCode objectCount rootObjectCount url partialDataUrl } }
}`;

export interface BulkOperationDone {
  readonly id: string;
  /** Null when the query matched nothing. */
  readonly url: string | null;
  readonly rootObjectCount: number;
}

export class BulkOperationFailed extends AdminApiError {
  override name = "BulkOperationFailed";
}

interface BulkOperationNode {
  id: string;
  status: string;
  errorCode?: string | null;
  rootObjectCount?: string | number | null;
  url?: string | null;
}

export interface BulkOptions {
  readonly pollMs?: number;
  /** Give up polling after this long (the operation itself may run up to ten days on Shopify's side). */
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export async function runBulkQuery(client: ShopifyAdminClient, shop: string, query: string, options: BulkOptions = {}): Promise<BulkOperationDone> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = Date.now();
  const run = await client.graphql<{
    bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: { code?: string; field?: string[]; message: string }[] };
  }>(shop, RUN, { query });
  assertNoUserErrors("bulkOperationRunQuery", shop, run.data.bulkOperationRunQuery);
  const id = run.data.bulkOperationRunQuery.bulkOperation?.id;
  if (!id) throw new BulkOperationFailed(`${shop}: bulkOperationRunQuery returned no operation`, shop);

  for (let poll = 0; ; poll++) {
    const { data } = await client.graphql<{ node: BulkOperationNode | null }>(shop, POLL, { id });
    const operation = data.node;
    if (!operation) throw new BulkOperationFailed(`${shop}: bulk operation ${id} is gone`, shop);
    if (operation.status === "COMPLETED") return { id, url: operation.url ?? null, rootObjectCount: Number(operation.rootObjectCount ?? 0) };
    if (["FAILED", "CANCELED", "CANCELING", "EXPIRED"].includes(operation.status)) {
      throw new BulkOperationFailed(`${shop}: bulk operation ${id} ended ${operation.status}${operation.errorCode ? ` (${operation.errorCode})` : ""}`, shop);
    }
    if (Date.now() - started > (options.timeoutMs ?? 60 * 60 * 1000))
      throw new BulkOperationFailed(`${shop}: bulk operation ${id} still ${operation.status}; polling stopped`, shop);
    // Poll quickly at first (small shops finish in seconds), then every pollMs.
    await sleep(Math.min(options.pollMs ?? 2_000, 250 * 2 ** poll));
  }
}

/** The lines of a bulk result file, streamed: a 50,000-order file is never held whole. */
export async function* bulkResultLines(url: string, fetcher: typeof fetch = fetch): AsyncGenerator<string> {
  const response = await fetcher(url);
  if (!response.ok || !response.body) throw new Error(`bulk result download answered ${response.status}`);
  const decoder = new TextDecoder();
  let partial = "";
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    const lines = (partial + decoder.decode(chunk, { stream: true })).split("\n");
    partial = lines.pop() ?? "";
    yield* lines;
  }
  partial += decoder.decode();
  if (partial.trim() !== "") yield partial;
}
