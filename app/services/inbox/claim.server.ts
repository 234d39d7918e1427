import type pg from "pg";
import { Prisma } from "~/generated/prisma/client";
import { sqlRows } from "./pg-sql.server";

export interface ClaimedEvent {
  id: string;
  shopId: string;
  connectionId: string | null;
  platform: "shopify" | "woocommerce" | "magento" | "api";
  topic: string;
  rawBody: string;
  receivedAt: Date;
  /** Settings of the event's connection, or of its shop when it came without one: what normalizing it needs. */
  sourceSettings: unknown;
}

/** The default lease of a claim (config INBOX_LEASE_MS): BullMQ's own job lock lasts as long. */
export const DEFAULT_CLAIM_LEASE_MS = 30_000;

/**
 * Takes the row for this attempt, with the settings its normalizer reads, in one round trip; rows already
 * processed, dead or rejected are left alone (a redelivered job).
 *
 * A claim is a lease: the row is `processing` until `leaseUntil`, and no other attempt takes it meanwhile (a
 * sweeper's re-enqueue or a replay racing a slow attempt). A worker killed mid-run leaves `processing`
 * behind; once its lease has passed, the next attempt claims it again, so `processing` is never a dead end.
 * Returns null when the row is done or another attempt's lease (or a deferral) still holds it.
 */
export async function claimInboxEvent(pool: pg.Pool, eventId: string, shopId: string, leaseMs = DEFAULT_CLAIM_LEASE_MS): Promise<ClaimedEvent | null> {
  // receivedAt is a UTC `timestamp`: read through timestamptz so pg cannot take it for local time. leaseUntil
  // is a UTC `timestamp` too (Prisma writes UTC): compared and written in UTC.
  const rows = await sqlRows<ClaimedEvent>(
    pool,
    Prisma.sql`
        WITH claimed AS (
          UPDATE "WebhookEvent" SET "status" = 'processing', "attempts" = "attempts" + 1, "updatedAt" = now(),
            "leaseUntil" = timezone('UTC', now()) + make_interval(secs => ${leaseMs / 1000}::float8)
          WHERE "id" = ${eventId}::uuid AND "shopId" = ${shopId}::uuid AND "status" IN ('pending', 'failed', 'processing')
            AND ("leaseUntil" IS NULL OR "leaseUntil" <= timezone('UTC', now()))
          RETURNING "id", "shopId", "connectionId", "platform", "topic", "rawBody", "receivedAt"
        )
        SELECT e."id", e."shopId", e."connectionId", e."platform"::text AS platform, e."topic", e."rawBody",
          e."receivedAt" AT TIME ZONE 'UTC' AS "receivedAt",
          CASE WHEN e."connectionId" IS NULL THEN (SELECT s."settings" FROM "Shop" s WHERE s."id" = e."shopId")
            ELSE (SELECT k."settings" FROM "Connection" k WHERE k."id" = e."connectionId" AND k."shopId" = e."shopId") END AS "sourceSettings"
        FROM claimed e`,
  );
  return rows[0] ?? null;
}
