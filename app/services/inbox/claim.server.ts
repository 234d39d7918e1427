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

/**
 * Takes the row for this attempt, with the settings its normalizer reads, in one round trip; rows already
 * processed, dead or rejected are left alone (a redelivered job).
 */
export async function claimInboxEvent(pool: pg.Pool, eventId: string, shopId: string): Promise<ClaimedEvent | null> {
  // receivedAt is a UTC `timestamp`: read through timestamptz so pg cannot take it for local time.
  const rows = await sqlRows<ClaimedEvent>(pool, Prisma.sql`
        WITH claimed AS (
          UPDATE "WebhookEvent" SET "status" = 'processing', "attempts" = "attempts" + 1, "updatedAt" = now()
          WHERE "id" = ${eventId}::uuid AND "shopId" = ${shopId}::uuid AND "status" IN ('pending', 'failed', 'processing')
          RETURNING "id", "shopId", "connectionId", "platform", "topic", "rawBody", "receivedAt"
        )
        SELECT e."id", e."shopId", e."connectionId", e."platform"::text AS platform, e."topic", e."rawBody",
          e."receivedAt" AT TIME ZONE 'UTC' AS "receivedAt",
          CASE WHEN e."connectionId" IS NULL THEN (SELECT s."settings" FROM "Shop" s WHERE s."id" = e."shopId")
            ELSE (SELECT k."settings" FROM "Connection" k WHERE k."id" = e."connectionId" AND k."shopId" = e."shopId") END AS "sourceSettings"
        FROM claimed e`);
  return rows[0] ?? null;
}
