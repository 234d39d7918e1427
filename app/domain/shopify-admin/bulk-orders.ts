/**
 * A bulk operation's JSONL result back into orders. Shopify writes one JSON object per line: each order, and
 * each node of its nested connections (line items, shipping lines) on a line of its own that names its order in
 * `__parentId`. The backfill runs its bulk query with groupObjects: true, so an order's children follow it before
 * the next order starts: an order is complete when the next top-level line arrives, and a 50,000-order file is
 * read with one order in memory, not all of them.
 */
import type { GraphqlLineItem, GraphqlOrder, GraphqlShippingLine } from "./graphql-order";
import { resourceTypeOf } from "./graphql-order";

export class BulkResultError extends Error {
  override name = "BulkResultError";
}

interface Pending {
  order: GraphqlOrder;
  lineItems: GraphqlLineItem[];
  shippingLines: GraphqlShippingLine[];
}

export class BulkOrderAssembler {
  private pending: Pending | null = null;
  private lineNumber = 0;

  /** Takes one JSONL line; returns the previous order when this line starts a new one. */
  push(line: string): GraphqlOrder | null {
    this.lineNumber++;
    if (line.trim() === "") return null;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new BulkResultError(`line ${this.lineNumber} of the bulk result is not JSON`);
    }
    const parentId = typeof record.__parentId === "string" ? record.__parentId : null;
    if (parentId === null) {
      const done = this.finish();
      this.pending = { order: record as unknown as GraphqlOrder, lineItems: [], shippingLines: [] };
      return done;
    }
    if (!this.pending || this.pending.order.id !== parentId) {
      throw new BulkResultError(
        `line ${this.lineNumber} belongs to ${parentId}, which is not the order being read (was the bulk query run with groupObjects: true?)`,
      );
    }
    const { __parentId: _parent, ...node } = record;
    const type = resourceTypeOf(typeof node.id === "string" ? node.id : null);
    if (type === "LineItem") this.pending.lineItems.push(node as unknown as GraphqlLineItem);
    else if (type === "ShippingLine") this.pending.shippingLines.push(node as unknown as GraphqlShippingLine);
    else throw new BulkResultError(`line ${this.lineNumber}: unexpected child ${String(node.id)}`);
    return null;
  }

  /** The last order, once the file has ended. */
  finish(): GraphqlOrder | null {
    const done = this.pending;
    this.pending = null;
    if (!done) return null;
    return { ...done.order, lineItems: { nodes: done.lineItems }, shippingLines: { nodes: done.shippingLines } };
  }
}
