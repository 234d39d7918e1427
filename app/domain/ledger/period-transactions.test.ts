import { describe, expect, it } from "vitest";
import { isBalanced } from "./balance";
import { draftOrderId } from "./transactions";
import { buildPeriodReleases, buildPeriodTransactions, periodReleaseKey, type PeriodPostingInput, type PeriodTotal } from "./period-transactions";

const total = (distributorId: string, amountMinor: bigint, rule = "binary"): PeriodTotal => ({
  idempotencyKey: `period:2026-03:${rule}:${distributorId}`,
  rule,
  kind: rule,
  distributorId,
  amountMinor,
  currency: "USD",
});

const input = (totals: readonly PeriodTotal[]): PeriodPostingInput => ({
  shopId: "shop-1",
  periodId: "period-1",
  periodKey: "2026-03",
  revision: 1,
  occurredAt: "2026-04-01T00:00:00.000Z",
  totals,
});

describe("period transactions", () => {
  it("post one balanced transaction per (rule, recipient): expense debit, pending wallet credit, with the period's metadata", () => {
    const drafts = buildPeriodTransactions({
      ...input([total("ana", 2_500n), total("ben", 648n, "matching")]),
      kind: "period_commission",
      walletStage: "pending",
    });
    expect(drafts).toEqual([
      {
        idempotencyKey: "period:2026-03:binary:ana",
        kind: "period_commission",
        occurredAt: "2026-04-01T00:00:00.000Z",
        postings: [
          { account: "commission_expense:shop-1:USD", amountMinor: 2_500n, currency: "USD" },
          { account: "wallet_pending:shop-1:USD:ana", amountMinor: -2_500n, currency: "USD" },
        ],
        metadata: { shopId: "shop-1", periodId: "period-1", periodKey: "2026-03", revision: 1, rule: "binary", kind: "binary", distributorId: "ana" },
      },
      expect.objectContaining({
        idempotencyKey: "period:2026-03:matching:ben",
        postings: [
          { account: "commission_expense:shop-1:USD", amountMinor: 648n, currency: "USD" },
          { account: "wallet_pending:shop-1:USD:ben", amountMinor: -648n, currency: "USD" },
        ],
      }),
    ]);
    expect(drafts.every((draft) => isBalanced(draft.postings) && draftOrderId(draft) === null)).toBe(true);
  });

  it("turn a negative correction's signs and, after the release, take it from the available wallet; zero totals post nothing", () => {
    const drafts = buildPeriodTransactions({
      ...input([total("ana", -300n), total("ben", 0n)]),
      revision: 2,
      kind: "period_correction",
      walletStage: "available",
    });
    expect(drafts.map((draft) => [draft.kind, draft.metadata.revision, draft.postings])).toEqual([
      [
        "period_correction",
        2,
        [
          { account: "commission_expense:shop-1:USD", amountMinor: -300n, currency: "USD" },
          { account: "wallet_available:shop-1:USD:ana", amountMinor: 300n, currency: "USD" },
        ],
      ],
    ]);
  });

  it("release only positive nets, from the pending to the available wallet, under the period release key", () => {
    const drafts = buildPeriodReleases(input([total("ana", 2_500n), total("ben", -10n), total("cy", 0n)]));
    expect(drafts).toEqual([
      expect.objectContaining({
        idempotencyKey: periodReleaseKey("2026-03", "binary", "ana"),
        kind: "hold_release",
        postings: [
          { account: "wallet_pending:shop-1:USD:ana", amountMinor: 2_500n, currency: "USD" },
          { account: "wallet_available:shop-1:USD:ana", amountMinor: -2_500n, currency: "USD" },
        ],
      }),
    ]);
    expect(periodReleaseKey("2026-03", "binary", "ana")).toBe("period-release:2026-03:binary:ana");
  });
});
