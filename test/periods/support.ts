/**
 * A shop for the period tests, built through the product's own paths: binary placement settings, enrollment
 * (enrollDistributor places each recruit in the binary tree), the default commission class and the plan version
 * (publishPlanVersion). Orders and refunds then arrive as signed Shopify webhooks (test/commissions/support.ts).
 *
 *   sponsor tree            placement (breadth-first spillover under the sponsor)
 *   ROOT                    ROOT
 *   ├─ ALPHA                ├─ left:  ALPHA
 *   │  ├─ CHARLIE           │         ├─ left:  CHARLIE
 *   │  └─ DELTA             │         └─ right: DELTA
 *   └─ BRAVO                └─ right: BRAVO
 */
import { db } from "~/db.server";
import { createCommissionClass, publishPlanVersion, updateCommissionSettings } from "~/services/commissions/setup.server";
import { enrollDistributor } from "~/services/genealogy/enroll.server";
import { updateGenealogySettings } from "~/services/genealogy/settings.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { queues } from "~/queues.server";
import { MAINTENANCE_JOBS } from "~/queues.server";
import { refundBody } from "../commissions/support";
import { TEST_SHOP, waitUntil } from "../support/deliveries";
import { PERIOD_PLAN } from "./plan";

export interface PeriodShop {
  readonly shopId: string;
  readonly ids: Readonly<Record<"ROOT" | "ALPHA" | "BRAVO" | "CHARLIE" | "DELTA", string>>;
  readonly placements: Readonly<Record<string, { parentId: string; position: number } | null>>;
}

export async function seedPeriodShop(domain = TEST_SHOP): Promise<PeriodShop> {
  const shopId = (await ensureShopifyShop(db(), domain)).id;
  await updateCommissionSettings(db(), shopId, { refundWindowDays: 3_650 }, "test");
  await updateGenealogySettings(db(), shopId, { placement: { kind: "binary", spillover: { kind: "breadth-first" } } }, "test");
  const root = await enrollDistributor(db(), shopId, { code: "ROOT", enrolledAt: "2026-01-01T00:00:00Z" });
  const alpha = await enrollDistributor(db(), shopId, { code: "ALPHA", sponsorCode: "ROOT", enrolledAt: "2026-01-02T00:00:00Z" });
  const bravo = await enrollDistributor(db(), shopId, { code: "BRAVO", sponsorCode: "ROOT", enrolledAt: "2026-01-03T00:00:00Z" });
  const charlie = await enrollDistributor(db(), shopId, { code: "CHARLIE", sponsorCode: "ALPHA", enrolledAt: "2026-01-04T00:00:00Z" });
  const delta = await enrollDistributor(db(), shopId, { code: "DELTA", sponsorCode: "ALPHA", enrolledAt: "2026-01-05T00:00:00Z" });
  await createCommissionClass(db(), shopId, { key: "general", name: "General", isDefault: true });
  await publishPlanVersion(db(), shopId, PERIOD_PLAN, "2026-01-01T00:00:00Z", "test");
  return {
    shopId,
    ids: { ROOT: root.id, ALPHA: alpha.id, BRAVO: bravo.id, CHARLIE: charlie.id, DELTA: delta.id },
    placements: { ALPHA: alpha.placement, BRAVO: bravo.placement, CHARLIE: charlie.placement, DELTA: delta.placement },
  };
}

/** Shopify's sample refund of `lines` of `orderId`, dated `at` (the sample has no date: it would be "now"). */
export function datedRefundBody(orderId: string, refundId: string, lines: readonly string[], at: string): string {
  const refund = JSON.parse(refundBody(orderId, refundId, lines)) as Record<string, unknown>;
  refund.created_at = at;
  return JSON.stringify(refund);
}

/**
 * The workers run every repeatable job once when they start; the test waits for that first period close (of an
 * empty database) so it cannot race the test's own closes. The next run is a quarter of an hour away.
 */
export async function firstPeriodJobDone(names: readonly string[] = [MAINTENANCE_JOBS.closePeriods]): Promise<void> {
  await waitUntil(
    async () => {
      const done = new Set((await queues().maintenance.getJobs(["completed", "failed"])).map((job) => job.name));
      return names.every((name) => done.has(name));
    },
    30_000,
    `the first run of ${names.join(", ")}`,
  );
}

/** Exact row counts of every table: what "writes nothing" is checked against. */
export async function everyTableCount(): Promise<Record<string, number>> {
  const tables = await db().$queryRaw<{ name: string }[]>`
    SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`;
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await db().$queryRawUnsafe<{ count: number }[]>(`SELECT count(*)::int AS count FROM "${name.replaceAll('"', '""')}"`);
    counts[name] = row!.count;
  }
  return counts;
}

export interface PeriodTransaction {
  readonly key: string;
  readonly kind: string;
  /** What the recipient's wallet gained (minus the wallet posting). */
  readonly walletMinor: bigint;
  readonly balanced: boolean;
}

/** The shop's period ledger transactions by idempotency key. */
export async function periodTransactions(shopId: string): Promise<Map<string, PeriodTransaction>> {
  const rows = await db().ledgerTransaction.findMany({
    where: { shopId, kind: { in: ["period_commission", "period_correction"] } },
    include: { postings: true },
  });
  return new Map(
    rows.map((row) => [
      row.idempotencyKey,
      {
        key: row.idempotencyKey,
        kind: row.kind,
        walletMinor: -row.postings.filter((posting) => posting.accountKind === "wallet_pending").reduce((sum, posting) => sum + posting.amountMinor, 0n),
        balanced: row.postings.length === 2 && row.postings.reduce((sum, posting) => sum + posting.amountMinor, 0n) === 0n,
      },
    ]),
  );
}

export async function rowCounts(shopId: string) {
  const [transactions, postings, periodCommissions, runs] = await Promise.all([
    db().ledgerTransaction.count({ where: { shopId } }),
    db().ledgerPosting.count({ where: { shopId } }),
    db().periodCommission.count({ where: { shopId } }),
    db().periodCloseRun.count({ where: { shopId } }),
  ]);
  return { transactions, postings, periodCommissions, runs };
}
