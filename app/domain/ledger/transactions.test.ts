import { describe, expect, it } from "vitest";
import { evaluate } from "../engine/evaluate";
import { NOTHING_REVERSED, reverseForRefund } from "../refunds/reversal";
import { EXCLUDE_SHIPPING_AND_TAX, chain, order, orderLine, percentRates, refund, standardCatalog, unilevelPlan } from "~test/support/engine";
import { buildCommissionTransactions, buildHoldRelease, buildHoldReleasesForOrder, buildReversalTransactions } from "./transactions";

const evaluation = evaluate({
  order: order([orderLine("a", "CREAM-50", 1, 10_000n), orderLine("b", "SERUM-30", 1, 5_000n)], { orderId: "ord_1" }),
  planVersion: { id: "p", version: 1, rules: unilevelPlan({ standard: percentRates("10", "5") }) },
  catalog: standardCatalog(),
  upline: chain("ana", "ben"),
  settings: EXCLUDE_SHIPPING_AND_TAX,
});

describe("commission transactions", () => {
  it("post one balanced transaction per (order, rule, recipient): expense debit, pending wallet credit", () => {
    const drafts = buildCommissionTransactions({ shopId: "shop-1", evaluation });
    expect(drafts).toEqual([
      {
        idempotencyKey: "commission:ord_1:unilevel:ana",
        kind: "commission",
        occurredAt: "2026-03-01T10:00:00Z",
        postings: [
          { account: "commission_expense:shop-1:USD", amountMinor: 1_500n, currency: "USD" },
          { account: "wallet_pending:shop-1:USD:ana", amountMinor: -1_500n, currency: "USD" },
        ],
        metadata: { shopId: "shop-1", orderId: "ord_1", rule: "unilevel", distributorId: "ana", refundId: null, levels: [1], orderLineIds: ["a", "b"] },
      },
      expect.objectContaining({
        idempotencyKey: "commission:ord_1:unilevel:ben",
        postings: [
          { account: "commission_expense:shop-1:USD", amountMinor: 750n, currency: "USD" },
          { account: "wallet_pending:shop-1:USD:ben", amountMinor: -750n, currency: "USD" },
        ],
      }),
    ]);
    // Same evaluation → same keys: a replayed job inserts nothing new.
    expect(buildCommissionTransactions({ shopId: "shop-1", evaluation })).toEqual(drafts);
  });
});

describe("reversal transactions and hold releases", () => {
  const partial = reverseForRefund({
    original: evaluation,
    refund: refund("r-77", [{ platformLineId: "a", quantity: 1, subtotalMinor: 10_000n }], { refundedAt: "2026-03-09T08:00:00Z" }),
    progress: NOTHING_REVERSED,
  });

  it("reverse from the pending wallet by default, keyed per (refund, rule, recipient)", () => {
    const [ana] = buildReversalTransactions({ shopId: "shop-1", reversal: partial });
    expect(ana).toMatchObject({
      idempotencyKey: "reversal:ord_1:r-77:unilevel:ana",
      kind: "commission_reversal",
      occurredAt: "2026-03-09T08:00:00Z",
      postings: [
        { account: "commission_expense:shop-1:USD", amountMinor: -1_000n, currency: "USD" },
        { account: "wallet_pending:shop-1:USD:ana", amountMinor: 1_000n, currency: "USD" },
      ],
      metadata: { refundId: "r-77" },
    });
  });

  it("claw back from the available wallet once the hold was released (it may go below zero)", () => {
    const [ana] = buildReversalTransactions({ shopId: "shop-1", reversal: partial, walletStage: () => "available" });
    expect(ana?.postings[1]).toEqual({ account: "wallet_available:shop-1:USD:ana", amountMinor: 1_000n, currency: "USD" });
  });

  it("release what is still pending per recipient: the commission net of reversals", () => {
    const releases = buildHoldReleasesForOrder({ shopId: "shop-1", evaluation, reversals: [partial], occurredAt: "2026-04-01T00:00:00Z" });
    expect(releases.map((release) => [release.idempotencyKey, release.postings])).toEqual([
      [
        "release:ord_1:unilevel:ana",
        [
          { account: "wallet_pending:shop-1:USD:ana", amountMinor: 500n, currency: "USD" },
          { account: "wallet_available:shop-1:USD:ana", amountMinor: -500n, currency: "USD" },
        ],
      ],
      [
        "release:ord_1:unilevel:ben",
        [
          { account: "wallet_pending:shop-1:USD:ben", amountMinor: 250n, currency: "USD" },
          { account: "wallet_available:shop-1:USD:ben", amountMinor: -250n, currency: "USD" },
        ],
      ],
    ]);
  });

  it("release nothing for a fully reversed recipient", () => {
    const full = reverseForRefund({
      original: evaluation,
      refund: refund("r-all", [
        { platformLineId: "a", quantity: 1, subtotalMinor: 10_000n },
        { platformLineId: "b", quantity: 1, subtotalMinor: 5_000n },
      ]),
      progress: NOTHING_REVERSED,
    });
    expect(buildHoldReleasesForOrder({ shopId: "shop-1", evaluation, reversals: [full], occurredAt: "2026-04-01T00:00:00Z" })).toEqual([]);
  });

  it("builds a single release with its own key", () => {
    const release = buildHoldRelease({
      shopId: "s",
      orderId: "o",
      rule: "r",
      distributorId: "d",
      currency: "EUR",
      amountMinor: 42n,
      occurredAt: "2026-04-01T00:00:00Z",
    });
    expect(release).toMatchObject({ idempotencyKey: "release:o:r:d", kind: "hold_release", metadata: { levels: [], orderLineIds: [] } });
  });
});
