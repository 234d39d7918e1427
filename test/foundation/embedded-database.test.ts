import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "~/db/embedded.server";
import { migrateDeploy } from "~/db/prisma-cli.server";
import { createPrismaClient } from "~/db.server";

const dataDir = mkdtempSync(path.join(tmpdir(), "upline-pglite-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("the embedded default (PGlite behind a PostgreSQL socket)", () => {
  it("keeps concurrent parameterized queries and transactions of several pools apart", async () => {
    const embedded = await startEmbeddedPostgres({ dataDir: "memory://" });
    try {
      await migrateDeploy(embedded.url);
      const web = createPrismaClient(embedded.url, 4);
      const worker = createPrismaClient(embedded.url, 4);
      const shop = await web.shop.create({ data: { domain: "busy.myshopify.com" } });
      const writes = Array.from({ length: 120 }, (_, i) =>
        (i % 2 ? web : worker).$transaction(async (tx) => {
          await tx.auditLog.create({ data: { shopId: shop.id, actor: `actor-${i}`, action: "test", entityType: "Shop", entityId: shop.id } });
          return tx.auditLog.count({ where: { shopId: shop.id, actor: `actor-${i}` } });
        }),
      );
      const reads = Array.from({ length: 120 }, (_, i) => (i % 2 ? worker : web).shop.findFirst({ where: { id: shop.id, domain: { not: `x-${i}` } } }));
      const [counts, found] = await Promise.all([Promise.all(writes), Promise.all(reads)]);
      expect(counts).toEqual(Array(120).fill(1));
      expect(found.every((row) => row?.id === shop.id)).toBe(true);
      expect(await web.auditLog.count({ where: { shopId: shop.id } })).toBe(120);
      await Promise.all([web.$disconnect(), worker.$disconnect()]);
    } finally {
      await embedded.stop();
    }
  });

  it("applies the same migrations and serves Prisma, and keeps data across restarts", async () => {
    const first = await startEmbeddedPostgres({ dataDir });
    try {
      const { stdout } = await migrateDeploy(first.url);
      expect(stdout).toMatch(/migrations have been successfully applied|No pending migrations/);
      const prisma = createPrismaClient(first.url, 2);
      const shop = await prisma.shop.create({ data: { domain: "embedded.myshopify.com", currency: "EUR" } });
      await prisma.$disconnect();
      expect(shop.id).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await first.stop();
    }

    const second = await startEmbeddedPostgres({ dataDir });
    try {
      const prisma = createPrismaClient(second.url, 2);
      const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: "embedded.myshopify.com" } });
      expect(shop.currency).toBe("EUR");
      await prisma.$disconnect();
    } finally {
      await second.stop();
    }
  });
});
