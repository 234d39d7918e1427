/**
 * The admin's Connections page: WooCommerce and Magento stores that send orders to the ingest route. Creating,
 * rotating and disabling go through the connection services (each audited here or there); the test delivery is
 * a signed sample handed to the very handler behind POST /ingest/:platform/:connectionId, in process, so it
 * proves what a store's delivery would meet (signature, status, inbox) without a network round trip.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Db } from "~/db.server";
import { signHmacSha256Base64 } from "~/domain/platforms/signatures";
import { createConnection, rotateConnectionSecret, setConnectionStatus } from "~/services/connections.server";
import { ingestForConnection } from "~/services/ingest/ingest.server";
import { ingestDeps } from "~/services/ingest/runtime-deps.server";

const SHOWN_DELIVERIES = 10;
/** Topics the worker ignores, so a test delivery lands in the inbox and never becomes an order. */
export const TEST_TOPICS = { woocommerce: "action.upline_test_delivery", magento: "upline.test_delivery" } as const;

export interface DeliveryView {
  readonly id: string;
  readonly topic: string;
  readonly status: string;
  readonly receivedAt: string;
  readonly lastError: string | null;
}

export async function connectionsOverview(db: Db, shopId: string, origin: string, now = new Date()) {
  const rows = await db.connection.findMany({
    where: { shopId, platform: { in: ["woocommerce", "magento"] } },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      platform: true,
      name: true,
      status: true,
      baseUrl: true,
      createdAt: true,
      lastBackfillAt: true,
      restConsumerKey: true,
      previousSecretUntil: true,
    },
  });
  const connections = await Promise.all(
    rows.map(async (row) => {
      const deliveries = await db.webhookEvent.findMany({
        where: { shopId, connectionId: row.id },
        orderBy: { receivedAt: "desc" },
        take: SHOWN_DELIVERIES,
        select: { id: true, topic: true, status: true, receivedAt: true, lastError: true },
      });
      return {
        id: row.id,
        platform: row.platform as "woocommerce" | "magento",
        name: row.name,
        status: row.status,
        baseUrl: row.baseUrl,
        ingestUrl: new URL(`/ingest/${row.platform}/${row.id}`, origin).toString(),
        createdAt: row.createdAt.toISOString(),
        backfill: backfillStatus(row.platform, row.restConsumerKey !== null, row.lastBackfillAt),
        previousSecretUntil: row.previousSecretUntil && row.previousSecretUntil > now ? row.previousSecretUntil.toISOString() : null,
        deliveries: deliveries.map((d): DeliveryView => ({ ...d, receivedAt: d.receivedAt.toISOString() })),
      };
    }),
  );
  return { connections };
}

function backfillStatus(platform: string, hasRestKeys: boolean, lastBackfillAt: Date | null): string {
  if (platform !== "woocommerce") return "No backfill: the Upline module re-sends what Magento could not deliver.";
  if (!hasRestKeys) return "Off: add WooCommerce REST keys (through the API) to catch deliveries WooCommerce never retries.";
  return lastBackfillAt ? `Last ran ${lastBackfillAt.toISOString().slice(0, 16).replace("T", " ")} UTC.` : "On; it has not run yet.";
}

export type ConnectionOutcome =
  | { readonly ok: true; readonly message: string; readonly secret?: { readonly connectionId: string; readonly value: string } }
  | { readonly ok: false; readonly error: string; readonly fieldErrors?: Readonly<Record<string, string>>; readonly values?: Readonly<Record<string, string>> };

const createForm = z.object({
  platform: z.enum(["woocommerce", "magento"], { error: "choose WooCommerce or Magento" }),
  name: z.string().trim().min(1, { error: "give the store a name" }).max(200, { error: "at most 200 characters" }),
  baseUrl: z.union([z.literal(""), z.url({ protocol: /^https?$/, error: "must be the store's address, e.g. https://shop.example" }).max(2_000)]),
});

export async function connectionAction(db: Db, shopId: string, form: FormData, actor: string): Promise<ConnectionOutcome> {
  const values = Object.fromEntries([...form.entries()].filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  if (values.intent === "create") {
    const parsed = createForm.safeParse(values);
    if (!parsed.success) {
      const fieldErrors = Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message]));
      return { ok: false, error: "The store was not connected.", fieldErrors, values };
    }
    const created = await createConnection(db, shopId, {
      platform: parsed.data.platform,
      name: parsed.data.name,
      ...(parsed.data.baseUrl ? { baseUrl: parsed.data.baseUrl } : {}),
    });
    await db.auditLog.create({
      data: {
        shopId,
        actor,
        action: "connection.created",
        entityType: "Connection",
        entityId: created.id,
        after: { platform: created.platform, name: created.name, baseUrl: parsed.data.baseUrl || null },
      },
    });
    return {
      ok: true,
      message: `${created.name} connected. Copy the secret now: it is not shown again.`,
      secret: { connectionId: created.id, value: created.webhookSecret },
    };
  }

  const id = z.uuid().safeParse(values.connectionId);
  const connection = id.success
    ? await db.connection.findFirst({ where: { shopId, id: id.data, platform: { in: ["woocommerce", "magento"] } }, select: { id: true, name: true } })
    : null;
  if (!connection) return { ok: false, error: "That connection no longer exists." };
  switch (values.intent) {
    case "test": {
      const status = await sendTestDelivery(db, shopId, connection.id);
      if (status === 200) return { ok: true, message: `Test delivery to ${connection.name} accepted: it is in the inbox below.` };
      if (status === 403) return { ok: false, error: `Test delivery refused: ${connection.name} is disabled.` };
      return { ok: false, error: `Test delivery answered HTTP ${status}.` };
    }
    case "rotate": {
      const rotated = await rotateConnectionSecret(db, shopId, connection.id, actor);
      if (!rotated) return { ok: false, error: "That connection no longer exists." };
      return {
        ok: true,
        message: `New secret for ${connection.name}. The old one is accepted until ${rotated.previousAcceptedUntil.toISOString().slice(0, 16).replace("T", " ")} UTC: paste the new one into the store before then.`,
        secret: { connectionId: connection.id, value: rotated.webhookSecret },
      };
    }
    case "disable":
    case "enable": {
      const status = values.intent === "disable" ? "disabled" : "active";
      await setConnectionStatus(db, shopId, connection.id, status);
      await db.auditLog.create({
        data: { shopId, actor, action: `connection.${values.intent}d`, entityType: "Connection", entityId: connection.id, after: { status } },
      });
      return { ok: true, message: `${connection.name} ${status === "disabled" ? "disabled: its deliveries are refused" : "enabled again"}.` };
    }
    default:
      return { ok: false, error: "Unknown action." };
  }
}

/**
 * Signs a sample body with the connection's current secret, exactly as the store's plugin or module does, and
 * hands it to the ingest route's handler. The topic is one the worker ignores. Returns the HTTP status.
 */
export async function sendTestDelivery(db: Db, shopId: string, connectionId: string, now = new Date()): Promise<number> {
  const connection = await db.connection.findFirstOrThrow({ where: { shopId, id: connectionId }, select: { id: true, platform: true, webhookSecret: true } });
  const platform = connection.platform as "woocommerce" | "magento";
  const topic = TEST_TOPICS[platform];
  const body = JSON.stringify({ upline_test_delivery: true, event: topic, event_id: randomUUID(), sent_at: now.toISOString() });
  const signature = signHmacSha256Base64(body, connection.webhookSecret);
  const headers: Record<string, string> =
    platform === "woocommerce"
      ? { "X-WC-Webhook-Topic": topic, "X-WC-Webhook-Source": "upline-test", "X-WC-Webhook-Signature": signature }
      : { "X-Upline-Topic": topic, "X-Upline-Signature": signature };
  const request = new Request(`http://upline.internal/ingest/${platform}/${connection.id}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body,
  });
  const response = await ingestForConnection(request, platform, connection.id, ingestDeps());
  return response.status;
}
