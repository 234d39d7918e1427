import type { PGlite } from "@electric-sql/pglite";
import type { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/**
 * PGlite is one PostgreSQL session; pglite-socket multiplexes many client connections onto it with a message
 * queue. Version 0.2.17 keeps a connection's messages together only inside a transaction, so two pg pools
 * sending parameterized queries interleave their Parse/Bind/Execute messages and PostgreSQL answers
 * "bind message supplies N parameters, but prepared statement … requires M" (seen with web + worker). It also
 * stops the queue for good after one failed message.
 *
 * This replaces the queue's loop so that a connection keeps its turn from its first extended-protocol message
 * until its Sync, as well as inside a transaction, and so that a failure rejects that one message only.
 */

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(error: unknown): void;
  onData(data: Uint8Array): void;
}

interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: PGlite;
  processQueue(): Promise<void>;
  clearTransactionIfNeeded(handlerId: number): Promise<void>;
}

const SYNC = "S".charCodeAt(0);
const SIMPLE_QUERY = "Q".charCodeAt(0);
const EXTENDED = new Set(["P", "B", "D", "E", "C", "H"].map((c) => c.charCodeAt(0)));

export function keepExtendedQueriesTogether(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  if (!queue || !Array.isArray(queue.queue)) throw new Error("pglite-socket internals changed: review app/db/pglite-queue-patch.server.ts");
  let ownerMidExtendedQuery = false;

  queue.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const mustStay = this.lastHandlerId !== null && (ownerMidExtendedQuery || this.db.isInTransaction());
        const index = mustStay ? this.queue.findIndex((item) => item.handlerId === this.lastHandlerId) : 0;
        if (index === -1) break; // the owner's next message has not arrived yet; its enqueue restarts the loop
        const [item] = this.queue.splice(index, 1);
        if (!item) break;
        const type = item.message[0] ?? 0;
        if (EXTENDED.has(type)) ownerMidExtendedQuery = true;
        else if (type === SYNC || type === SIMPLE_QUERY) ownerMidExtendedQuery = false;
        this.lastHandlerId = item.handlerId;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
          item.resolve(bytes);
        } catch (error) {
          item.reject(error);
        }
      }
    } finally {
      this.processing = false;
    }
  };

  const clearTransaction = queue.clearTransactionIfNeeded.bind(queue);
  queue.clearTransactionIfNeeded = async function (handlerId: number) {
    if (queue.lastHandlerId === handlerId) {
      ownerMidExtendedQuery = false;
      if (!queue.db.isInTransaction()) queue.lastHandlerId = null;
    }
    await clearTransaction(handlerId);
    await queue.processQueue();
  };
}
