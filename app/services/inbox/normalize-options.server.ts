import type { Db } from "~/db.server";
import type { NormalizeOptions, TopicClass } from "~/domain/platforms/adapter";

interface EventContext {
  shopId: string;
  connectionId: string | null;
  receivedAt: Date;
}

interface ConnectionSettings {
  referralKeys?: string[];
  paidStatuses?: string[];
}

/** What a payload does not say about itself: the store's referral keys and paid statuses, the delivery time. */
export async function normalizeOptionsFor(db: Db, event: EventContext, _topicClass: TopicClass): Promise<NormalizeOptions> {
  const options: { -readonly [K in keyof NormalizeOptions]: NormalizeOptions[K] } = {
    deliveredAt: event.receivedAt.toISOString(),
  };
  const source = event.connectionId
    ? await db.connection.findFirst({ where: { id: event.connectionId, shopId: event.shopId }, select: { settings: true } })
    : await db.shop.findUnique({ where: { id: event.shopId }, select: { settings: true } });
  const settings = (source?.settings ?? {}) as ConnectionSettings;
  if (Array.isArray(settings.referralKeys) && settings.referralKeys.length > 0) options.referralKeys = settings.referralKeys;
  if (Array.isArray(settings.paidStatuses) && settings.paidStatuses.length > 0) options.paidStatuses = settings.paidStatuses;
  return options;
}
