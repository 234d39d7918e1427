import { z } from "zod";
import type { Db } from "~/db.server";
import type { Queues } from "~/queues.server";
import { replayVerdict } from "~/domain/inbox/replay-rule";
import { listEvents, replayEvents, type ReplayManyResult } from "~/services/inbox/replay.server";

const PAGE_SIZE = 50;

const listQuery = z.object({
  status: z.enum(["pending", "processing", "processed", "failed", "dead", "rejected", "ignored"]).optional().catch(undefined),
  platform: z.enum(["shopify", "woocommerce", "magento", "api"]).optional().catch(undefined),
  topic: z
    .string()
    .trim()
    .max(100)
    .regex(/^[\w./-]*$/)
    .optional()
    .catch(undefined),
  // "<receivedAt ISO>|<id>" of the last row shown: keyset pages stay fast however deep the merchant goes.
  before: z
    .string()
    .regex(/^\d{4}-\d\d-\d\dT[\d:.]+Z\|[0-9a-f-]{36}$/)
    .optional()
    .catch(undefined),
});

/** The Webhook events page's list: filters from the query string (a bad one is ignored, never a 500). */
export async function eventListFromQuery(db: Db, shopId: string, search: URLSearchParams) {
  const query = listQuery.parse(Object.fromEntries(search));
  const [at, id] = query.before?.split("|") ?? [];
  const rows = await listEvents(db, shopId, {
    status: query.status,
    platform: query.platform,
    topic: query.topic || undefined,
    before: at && id ? { receivedAt: new Date(at), id } : undefined,
    take: PAGE_SIZE + 1,
  });
  const now = new Date();
  const page = rows.slice(0, PAGE_SIZE);
  const last = page.at(-1);
  return {
    events: page.map((row) => ({
      ...row,
      receivedAt: row.receivedAt.toISOString(),
      processedAt: row.processedAt?.toISOString() ?? null,
      replayable: replayVerdict(row, now).replayable,
    })),
    nextBefore: rows.length > PAGE_SIZE && last ? `${last.receivedAt.toISOString()}|${last.id}` : null,
  };
}

export type ReplayFormResult = ({ ok: true } & ReplayManyResult) | { ok: false; error: string };

/** One or many `eventId` fields from the page: each replayed if the rule allows it, the rest with why not. */
export async function replayFromForm(db: Db, queues: Queues, shopId: string, form: FormData, actor: string, attempts: number): Promise<ReplayFormResult> {
  const ids = z.array(z.uuid()).min(1).max(500).safeParse(form.getAll("eventId"));
  if (!ids.success) return { ok: false, error: "Select at least one event (at most 500)." };
  return { ok: true, ...(await replayEvents(db, queues, shopId, [...new Set(ids.data)], actor, attempts)) };
}

const SECRET_HEADER = /authorization|signature|hmac|token|secret|cookie/i;
const SHOWN_BODY_CHARS = 200_000;

/**
 * The detail page's view of one event: headers with credentials hidden, the body byte for byte as received (not
 * re-formatted: JSON.parse would silently change 18-digit Shopify ids, and the bytes are what was signed).
 */
export function presentEventBody(headers: unknown, rawBody: string) {
  const shownHeaders = Object.entries(headers && typeof headers === "object" ? (headers as Record<string, unknown>) : {}).map(([name, value]) => ({
    name,
    value: SECRET_HEADER.test(name) ? "(hidden)" : String(value),
  }));
  const truncated = rawBody.length > SHOWN_BODY_CHARS;
  return { headers: shownHeaders, body: truncated ? rawBody.slice(0, SHOWN_BODY_CHARS) : rawBody, truncated };
}
