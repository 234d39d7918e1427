import type { Db } from "~/db.server";
import type { Platform } from "~/domain/platforms/normalized";

export interface IngestConnection {
  id: string;
  shopId: string;
  platform: Platform;
  status: "active" | "disabled";
  webhookSecret: string;
  publicKeysPem: string[];
}

const TTL_MS = 30_000;
const cache = new Map<string, { connection: IngestConnection | null; expiresAt: number }>();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A connection's verification material, cached for 30 s so a rotated secret takes effect within that. */
export async function connectionForIngest(db: Db, connectionId: string): Promise<IngestConnection | null> {
  if (!UUID.test(connectionId)) return null;
  const cached = cache.get(connectionId);
  if (cached && cached.expiresAt > Date.now()) return cached.connection;
  const connection = await db.connection.findUnique({
    where: { id: connectionId },
    select: { id: true, shopId: true, platform: true, status: true, webhookSecret: true, publicKeysPem: true },
  });
  cache.set(connectionId, { connection, expiresAt: Date.now() + TTL_MS });
  return connection;
}

export function forgetConnection(connectionId: string): void {
  cache.delete(connectionId);
}
