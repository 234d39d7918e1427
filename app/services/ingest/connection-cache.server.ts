import { LRUCache } from "lru-cache";
import type { Db } from "~/db.server";
import type { Platform } from "~/domain/platforms/normalized";

export interface IngestConnection {
  id: string;
  shopId: string;
  platform: Platform;
  status: "active" | "disabled";
  webhookSecret: string;
  /** The secret before the last rotation, accepted until previousSecretUntil. */
  previousWebhookSecret: string | null;
  previousSecretUntil: Date | null;
  publicKeysPem: string[];
}

/** The secrets a delivery may be signed with now: the current one, and the previous one during its grace period. */
export function acceptedSecrets(connection: IngestConnection, now = Date.now()): string[] {
  const previous = connection.previousWebhookSecret;
  const until = connection.previousSecretUntil?.getTime() ?? 0;
  return previous && until > now ? [connection.webhookSecret, previous] : [connection.webhookSecret];
}

/**
 * A connection's verification material, cached for 30 s so a rotated secret takes effect within that. The
 * route is unauthenticated until the signature is checked, so an unknown id must not cost much: unknown ids
 * are kept apart (a flood of them cannot push real connections out), briefly, and both maps are bounded;
 * concurrent lookups of one id share one query.
 */
const TTL_MS = 30_000;
const UNKNOWN_TTL_MS = 5_000;
export const CONNECTION_CACHE_LIMITS = { known: 5_000, unknown: 1_000 } as const;
const known = new LRUCache<string, IngestConnection>({ max: CONNECTION_CACHE_LIMITS.known, ttl: TTL_MS });
const unknown = new LRUCache<string, true>({ max: CONNECTION_CACHE_LIMITS.unknown, ttl: UNKNOWN_TTL_MS });
const inFlight = new Map<string, Promise<IngestConnection | null>>();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function connectionForIngest(db: Db, connectionId: string): Promise<IngestConnection | null> {
  if (!UUID.test(connectionId)) return null;
  const id = connectionId.toLowerCase();
  const cached = known.get(id);
  if (cached) return cached;
  if (unknown.get(id)) return null;
  let lookup = inFlight.get(id);
  if (!lookup) {
    lookup = db.connection
      .findUnique({
        where: { id },
        select: {
          id: true,
          shopId: true,
          platform: true,
          status: true,
          webhookSecret: true,
          previousWebhookSecret: true,
          previousSecretUntil: true,
          publicKeysPem: true,
        },
      })
      .then((connection) => {
        if (connection) known.set(id, connection);
        else unknown.set(id, true);
        return connection;
      })
      .finally(() => inFlight.delete(id));
    inFlight.set(id, lookup);
  }
  return lookup;
}

/**
 * After a signature failed against the cached secrets: the connection as the database holds it now, at most once
 * a second per connection (a flood of forged deliveries costs one query a second). The admin that rotates a
 * secret may run in another process or module copy than this cache (the Remix build beside the Express ingest
 * path), so a delivery signed with the new secret must not wait for the cache's TTL: WooCommerce never retries.
 */
export async function reloadConnectionAfterMismatch(db: Db, connectionId: string): Promise<IngestConnection | null> {
  const id = connectionId.toLowerCase();
  if (recentlyReloaded.get(id)) return null;
  recentlyReloaded.set(id, true);
  forgetConnection(id);
  return connectionForIngest(db, id);
}
const recentlyReloaded = new LRUCache<string, true>({ max: CONNECTION_CACHE_LIMITS.known, ttl: 1_000 });

export function forgetConnection(connectionId: string): void {
  known.delete(connectionId.toLowerCase());
  unknown.delete(connectionId.toLowerCase());
}

/** How many entries the cache holds, for the test that floods it. */
export function connectionCacheSize(): number {
  return known.size + unknown.size;
}
