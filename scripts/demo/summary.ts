import type { Db } from "~/db.server";
import { formatMinor } from "~/domain/money";

/** Waits until no inbox row of the shop is still pending, processing or retrying. */
export async function waitForInboxToSettle(db: Db, shopId: string, timeoutMs: number, onProgress: (done: number, total: number) => void) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [open, total] = await Promise.all([
      db.webhookEvent.count({ where: { shopId, status: { in: ["pending", "processing", "failed"] } } }),
      db.webhookEvent.count({ where: { shopId } }),
    ]);
    onProgress(total - open, total);
    if (open === 0) return;
    if (Date.now() > deadline) throw new Error(`${open} inbox events still open after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function printIngestSummary(db: Db, shopId: string, log: (line: string) => void) {
  const events = await db.webhookEvent.groupBy({ by: ["platform", "status"], where: { shopId }, _count: { _all: true }, orderBy: [{ platform: "asc" }, { status: "asc" }] });
  log("Inbox (one row per distinct event, whatever the number of deliveries):");
  for (const row of events) log(`  ${row.platform.padEnd(12)} ${row.status.padEnd(10)} ${row._count._all}`);

  const orders = await db.order.groupBy({ by: ["platform", "currency"], where: { shopId }, _count: { _all: true }, _sum: { subtotalMinor: true, discountMinor: true, totalMinor: true }, orderBy: { platform: "asc" } });
  log("Orders stored:");
  for (const row of orders) {
    const net = (row._sum.subtotalMinor ?? 0n) - (row._sum.discountMinor ?? 0n);
    log(`  ${row.platform.padEnd(12)} ${String(row._count._all).padStart(4)} orders   net ${formatMinor(net, row.currency).padStart(10)} ${row.currency}   total ${formatMinor(row._sum.totalMinor ?? 0n, row.currency)} ${row.currency}`);
  }
  const refunds = await db.refund.groupBy({ by: ["status"], where: { shopId }, _count: { _all: true } });
  for (const row of refunds) log(`Refunds ${row.status}: ${row._count._all}`);
}
