import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { spawnScript } from "../support/processes";

const CLOSED_REDIS = "redis://127.0.0.1:1";

describe("worker process", () => {
  it("starts on real PostgreSQL and Redis and exits 0 within 10 s of SIGTERM", async () => {
    const worker = spawnScript("workers/index.ts", { LOG_LEVEL: "info" });
    await worker.waitFor(/workers started/);
    const sent = Date.now();
    worker.child.kill("SIGTERM");
    const { code } = await worker.exit();
    expect(code).toBe(0);
    expect(Date.now() - sent).toBeLessThan(10_000);
  });

  it("fails fast with one clear line when Redis is unreachable", async () => {
    const worker = spawnScript("workers/index.ts", { REDIS_URL: CLOSED_REDIS });
    const { code, ms } = await worker.exit();
    expect(code).not.toBe(0);
    expect(ms).toBeLessThan(10_000);
    const lines = worker.output().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^upline: Redis is not reachable at redis:\/\/127\.0\.0\.1:1 \(.+\)\. Start Redis/);
  });
});

describe("web process", () => {
  it("fails fast with one clear line when Redis is unreachable", async () => {
    const web = spawnScript("scripts/serve.ts", { REDIS_URL: CLOSED_REDIS, PORT: "0" });
    const { code } = await web.exit();
    expect(code).not.toBe(0);
    expect(web.output().trim().split("\n")).toEqual([expect.stringMatching(/^upline: Redis is not reachable at redis:\/\/127\.0\.0\.1:1/)]);
  });

  it("names a missing configuration variable and exits non-zero", async () => {
    const web = spawnScript("scripts/serve.ts", { SHOPIFY_API_SECRET: "", PORT: "0" });
    const { code } = await web.exit();
    expect(code).not.toBe(0);
    expect(web.output()).toMatch(/^upline: Configuration error: SHOPIFY_API_SECRET is not set$/m);
  });
});

describe("npm start with no DATABASE_URL", () => {
  it("runs web and workers on the embedded database and /healthz reports both dependencies", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "upline-start-"));
    const app = spawnScript("scripts/start.ts", {
      DATABASE_URL: "",
      UPLINE_EMBEDDED_DATA_DIR: dataDir,
      UPLINE_SKIP_BUILD: "1",
      PORT: "0",
      LOG_LEVEL: "warn",
    });
    try {
      await app.waitFor(/ready on http:\/\/localhost:(\d+)/, 90_000);
      const port = /ready on http:\/\/localhost:(\d+)/.exec(app.output())![1];
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { status: string; database: { status: string }; redis: { status: string } };
      expect(body).toMatchObject({ status: "ok", database: { status: "up" }, redis: { status: "up" } });
      expect(app.output()).toMatch(/embedded PostgreSQL/);
    } finally {
      app.child.kill("SIGTERM");
      const { code } = await app.exit();
      rmSync(dataDir, { recursive: true, force: true });
      expect(code).toBe(0);
    }
  });
});
