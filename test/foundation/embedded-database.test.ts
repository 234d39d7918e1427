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
