import { describe, expect, it } from "vitest";
import { replayVerdict, STUCK_AFTER_MS } from "./replay-rule";

const now = new Date("2026-12-05T12:00:00Z");
const receivedAt = new Date(now.getTime() - 60_000);
const event = (status: Parameters<typeof replayVerdict>[0]["status"], lastError: string | null = null, at = receivedAt) => ({
  status,
  lastError,
  receivedAt: at,
});

describe("replayVerdict", () => {
  it("offers replay for retrying and dead events, but not for a dead body no retry can fix", () => {
    expect(replayVerdict(event("failed", "connection terminated"), now)).toEqual({ replayable: true });
    expect(replayVerdict(event("dead", "error: insert into Order failed"), now)).toEqual({ replayable: true });
    expect(replayVerdict(event("dead", "invalid payload: line_items[0].price is not a decimal"), now)).toMatchObject({
      replayable: false,
      reason: "The payload can never be processed: the platform has to send a corrected one.",
    });
  });

  it("offers replay for a pending or processing event only once it is stuck", () => {
    expect(replayVerdict(event("pending"), now)).toMatchObject({ replayable: false });
    expect(replayVerdict(event("processing", null, new Date(now.getTime() - STUCK_AFTER_MS - 1)), now)).toEqual({ replayable: true });
    expect(replayVerdict(event("pending", null, new Date(now.getTime() - STUCK_AFTER_MS)), now)).toMatchObject({ replayable: false });
  });

  it("never offers it for processed, ignored or rejected events", () => {
    for (const status of ["processed", "ignored", "rejected"] as const) expect(replayVerdict(event(status), now).replayable).toBe(false);
  });
});
