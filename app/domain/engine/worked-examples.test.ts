/**
 * Named worked examples with exact expected cents, computed by hand in the comments (half-even = ties to even).
 */
import { describe, expect, it } from "vitest";
import { buildCommissionTransactions, buildReversalTransactions } from "../ledger/transactions";
import { evaluate } from "./evaluate";
import { NOTHING_REVERSED, reverseForRefund } from "../refunds/reversal";
import { EXCLUDE_SHIPPING_AND_TAX, chain, order, orderLine, percentRates, refund, standardCatalog, sumBy, unilevelPlan } from "~test/support/engine";
import type { CommissionLine, EvaluationInput } from "./types";

/** "who got what on which line at which level", the shape every example asserts. */
function paid(lines: readonly Pick<CommissionLine, "distributorId" | "orderLineId" | "level" | "amountMinor">[]) {
  return lines.map((line) => `${line.orderLineId} L${line.level} ${line.distributorId} ${line.amountMinor}`);
}

function perRecipient(lines: readonly Pick<CommissionLine, "distributorId" | "amountMinor">[]) {
  return Object.fromEntries(
    sumBy(
      lines,
      (line) => line.distributorId,
      (line) => line.amountMinor,
    ),
  );
}

// The typical unilevel table L1 10% / L2 5% / L3 3% / L4 2% / L5 1% [pub]:
// https://mlmportal.in/documentation/unilevel-plan-setup.html (the cent amounts below are derived).
const FIVE_LEVELS = unilevelPlan({ standard: percentRates("10", "5", "3", "2", "1") });

/**
 * Three lines: a discounted serum (2 × 49.99 − 10.00 = 89.98), creams whose level-1 award is an exact tie
 * (3 × 41.15 = 123.45 → 10% = 12.345), and a lip balm matched by variant id (1.50 − 0.15 = 1.35).
 * Tax 7.20 + 9.88 + 0.11 on the lines, 0.72 on shipping of 8.95.
 */
function fiveLevelOrderInput(settings = EXCLUDE_SHIPPING_AND_TAX): EvaluationInput {
  return {
    order: order(
      [
        orderLine("serum", "SERUM-30", 2, 4_999n, 1_000n, 720n),
        orderLine("cream", "CREAM-50", 3, 4_115n, 0n, 988n),
        { ...orderLine("balm", "LIP-BALM", 1, 150n, 15n, 11n), platformVariantId: "gid://shopify/ProductVariant/77" },
      ],
      { shippingMinor: 895n, taxMinor: 720n + 988n + 11n + 72n },
    ),
    planVersion: { id: "plan-5", version: 1, rules: FIVE_LEVELS },
    catalog: standardCatalog([{ platform: "shopify", platformSku: null, platformVariantId: "gid://shopify/ProductVariant/77", classId: "standard" }]),
    upline: chain("ana", "ben", "cai", "dee", "eli", "fay"),
    settings,
  };
}

describe("a 5-level unilevel on a multi-line order with a discount, tax and shipping", () => {
  it("pays each level on the net line amount, without tax and shipping, rounding half-even once per line", () => {
    const result = evaluate(fiveLevelOrderInput());
    expect(result.orderLines.map((line) => [line.orderLineId, line.classMatchedBy, line.baseMinor])).toEqual([
      ["serum", "sku", 8_998n],
      ["cream", "sku", 12_345n],
      ["balm", "variant", 135n],
    ]);
    expect(paid(result.lines)).toEqual([
      "serum L1 ana 900", // 899.8
      "serum L2 ben 450", // 449.9
      "serum L3 cai 270", // 269.94
      "serum L4 dee 180", // 179.96
      "serum L5 eli 90", // 89.98
      "cream L1 ana 1234", // 1234.5 → tie → even 1234
      "cream L2 ben 617", // 617.25
      "cream L3 cai 370", // 370.35
      "cream L4 dee 247", // 246.9
      "cream L5 eli 123", // 123.45
      "balm L1 ana 14", // 13.5 → tie → even 14
      "balm L2 ben 7", // 6.75
      "balm L3 cai 4", // 4.05
      "balm L4 dee 3", // 2.7
      "balm L5 eli 1", // 1.35
    ]);
    expect(perRecipient(result.lines)).toEqual({ ana: 2_148n, ben: 1_074n, cai: 644n, dee: 430n, eli: 214n });
    expect(result.totals).toMatchObject({ baseMinor: 21_478n, paidMinor: 4_510n, breakageMinor: 0n });
    // fay is the 6th upline: a 5-level plan never reaches her.
    expect(result.lines.some((line) => line.distributorId === "fay")).toBe(false);
    expect(result.flags).toEqual([]);
  });

  it("with shipping and tax included, splits shipping (and its tax) over the lines by net amount", () => {
    const result = evaluate(fiveLevelOrderInput({ includeShipping: true, includeTax: true }));
    // Pool 8.95 + 0.72 = 9.67 split 8998 : 12345 : 135 → 405.11 / 555.81 / 6.08 → floors 405/555/6, the
    // remaining cent to the largest remainder (cream).
    expect(result.orderLines.map((line) => [line.shippingShareMinor, line.taxShareMinor, line.baseMinor])).toEqual([
      [405n, 720n, 10_123n],
      [556n, 988n, 13_889n],
      [6n, 11n, 152n],
    ]);
    expect(paid(result.lines.filter((line) => line.level <= 2))).toEqual([
      "serum L1 ana 1012", // 1012.3
      "serum L2 ben 506", // 506.15
      "cream L1 ana 1389", // 1388.9
      "cream L2 ben 694", // 694.45
      "balm L1 ana 15", // 15.2
      "balm L2 ben 8", // 7.6
    ]);
  });

  it("reports volumes per class: PV = 100% and CV = 80% of the net amount, in hundredths of a point", () => {
    const result = evaluate(fiveLevelOrderInput());
    expect(result.orderLines.map((line) => [line.pvHundredths, line.cvHundredths])).toEqual([
      [8_998n, 7_198n], // 89.98 PV, 71.984 → 71.98 CV
      [12_345n, 9_876n], // 123.45 PV, 98.76 CV
      [135n, 108n], // 1.35 PV, 1.08 CV
    ]);
  });
});

describe("compression past two inactive uplines", () => {
  const upline = chain("ana", ["ben", "inactive"], ["cai", "terminated"], "dee", "eli", "fay", "gus");
  const input = (compression: "dynamic" | "none"): EvaluationInput => ({
    order: order([orderLine("cream", "CREAM-50", 1, 10_000n)]),
    planVersion: { id: "plan-5", version: 1, rules: unilevelPlan({ standard: percentRates("10", "5", "3", "2", "1") }, { compression }) },
    catalog: standardCatalog(),
    upline,
    settings: EXCLUDE_SHIPPING_AND_TAX,
  });

  it("dynamic: the inactive and the terminated upline are skipped and do not use up a level", () => {
    const result = evaluate(input("dynamic"));
    expect(paid(result.lines)).toEqual(["cream L1 ana 1000", "cream L2 dee 500", "cream L3 eli 300", "cream L4 fay 200", "cream L5 gus 100"]);
    expect(result.breakage).toEqual([]);
    expect(result.components[0]).toMatchObject({ compressed: ["ben", "cai"] });
  });

  it("none: their levels are breakage, kept by the company, and the levels above stay where they are", () => {
    const result = evaluate(input("none"));
    expect(paid(result.lines)).toEqual(["cream L1 ana 1000", "cream L4 dee 200", "cream L5 eli 100"]);
    expect(result.breakage.map((line) => [line.level, line.distributorId, line.reason, line.amountMinor])).toEqual([
      [2, "ben", "not_active", 500n],
      [3, "cai", "not_active", 300n],
    ]);
    expect(result.totals).toMatchObject({ paidMinor: 1_300n, breakageMinor: 800n });
  });

  it("a chain that runs out leaves the remaining levels as breakage", () => {
    const result = evaluate({ ...input("dynamic"), upline: chain("ana", ["ben", "inactive"], "cai") });
    expect(paid(result.lines)).toEqual(["cream L1 ana 1000", "cream L2 cai 500"]);
    expect(result.breakage.map((line) => [line.level, line.reason, line.amountMinor])).toEqual([
      [3, "no_upline", 300n],
      [4, "no_upline", 200n],
      [5, "no_upline", 100n],
    ]);
  });

  it("an inactive attributed distributor is not paid; the first active upline takes level 1", () => {
    const result = evaluate({ ...input("dynamic"), upline: chain(["ana", "inactive"], "ben", "cai") });
    expect(paid(result.lines).slice(0, 2)).toEqual(["cream L1 ben 1000", "cream L2 cai 500"]);
  });
});

describe("refunds", () => {
  const original = evaluate(fiveLevelOrderInput());

  it("a partial refund of one line reverses that line in proportion, from the original evaluation", () => {
    // 30.00 of the serum's 89.98 is refunded (a price adjustment: no quantity).
    const first = reverseForRefund({
      original,
      refund: refund("r1", [{ platformLineId: "serum", quantity: 0, subtotalMinor: 3_000n }]),
      progress: NOTHING_REVERSED,
    });
    expect(paid(first.lines)).toEqual([
      "serum L1 ana -300", // 900 × 3000/8998 = 300.07
      "serum L2 ben -150", // 150.03
      "serum L3 cai -90", // 90.02
      "serum L4 dee -60", // 60.01
      "serum L5 eli -30", // 30.01
    ]);
    expect(first.refundedLines).toEqual([expect.objectContaining({ orderLineId: "serum", cumulativeRefundedMinor: 3_000n, fullyRefunded: false })]);

    // Then the rest of the serum (both units, 59.98): the last refund takes the remainder.
    const second = reverseForRefund({
      original,
      refund: refund("r2", [{ platformLineId: "serum", quantity: 2, subtotalMinor: 5_998n }]),
      progress: first.progress,
    });
    expect(paid(second.lines)).toEqual(["serum L1 ana -600", "serum L2 ben -300", "serum L3 cai -180", "serum L4 dee -120", "serum L5 eli -60"]);
    const serumPaid = original.lines.filter((line) => line.orderLineId === "serum");
    const net = perRecipient([...serumPaid, ...first.lines, ...second.lines]);
    expect(Object.values(net)).toEqual([0n, 0n, 0n, 0n, 0n]);
  });

  it("a full refund nets every recipient to exactly 0, in the ledger too", () => {
    const full = reverseForRefund({
      original,
      refund: refund("r-all", [
        { platformLineId: "serum", quantity: 2, subtotalMinor: 8_998n },
        { platformLineId: "cream", quantity: 3, subtotalMinor: 12_345n },
        { platformLineId: "balm", quantity: 1, subtotalMinor: 135n },
      ]),
      progress: NOTHING_REVERSED,
    });
    expect(perRecipient(full.lines)).toEqual({ ana: -2_148n, ben: -1_074n, cai: -644n, dee: -430n, eli: -214n });
    const drafts = [
      ...buildCommissionTransactions({ shopId: "shop-1", evaluation: original }),
      ...buildReversalTransactions({ shopId: "shop-1", reversal: full }),
    ];
    const balances = sumBy(
      drafts.flatMap((draft) => draft.postings),
      (posting) => posting.account,
      (posting) => posting.amountMinor,
    );
    expect([...balances.values()].every((balance) => balance === 0n)).toBe(true);
  });
});

describe("an unmapped SKU", () => {
  it("is paid under the shop's default class and flagged, never skipped", () => {
    const result = evaluate({
      ...fiveLevelOrderInput(),
      order: order([orderLine("mystery", "MYSTERY-BOX", 1, 2_000n), orderLine("no-sku", null, 1, 1_000n)]),
    });
    expect(result.flags).toEqual([
      { type: "unmapped_sku", orderLineId: "mystery", sku: "MYSTERY-BOX", platformVariantId: null, classId: "standard" },
      { type: "unmapped_sku", orderLineId: "no-sku", sku: null, platformVariantId: null, classId: "standard" },
    ]);
    expect(paid(result.lines.filter((line) => line.level === 1))).toEqual(["mystery L1 ana 200", "no-sku L1 ana 100"]);
  });
});

describe("fixed amounts per unit", () => {
  const rules = unilevelPlan({
    standard: percentRates("10"),
    kits: [
      { kind: "fixed_per_unit", amountMinor: "2500", currency: "USD" },
      { kind: "fixed_per_unit", amountMinor: "1000", currency: "USD" },
    ],
  });

  it("pay quantity × amount exactly, whatever the price", () => {
    const result = evaluate({
      ...fiveLevelOrderInput(),
      planVersion: { id: "kits", version: 1, rules },
      order: order([orderLine("kit", "STARTER-KIT", 3, 9_900n, 9_900n)]),
    });
    expect(paid(result.lines)).toEqual(["kit L1 ana 7500", "kit L2 ben 3000"]);
    expect(result.orderLines[0]).toMatchObject({ pvHundredths: 30_000n, cvHundredths: 15_000n });
  });

  it("in another currency than the order pay nothing and are flagged", () => {
    const result = evaluate({
      ...fiveLevelOrderInput(),
      planVersion: { id: "kits", version: 1, rules },
      order: order([orderLine("kit", "STARTER-KIT", 1, 9_900n)], { currency: "EUR" }),
    });
    expect(result.lines).toEqual([]);
    expect(result.flags.map((flag) => flag.type)).toEqual(["rate_currency_mismatch", "rate_currency_mismatch"]);
  });
});

describe("published examples", () => {
  it("fast start: 10% of a 450 CSV enrollment package is $45", () => {
    // "if you enroll a new BA with a TM package (450 CSV points), you will receive a bonus of $45 (10% of 450
    // CSV points)" — https://support.dublinetwork.com/hc/en-us/articles/210108003-What-is-the-Fast-Start-Bonus-
    // Modelled as a one-level unilevel paid to the enroller (the attributed distributor) on a 450.00 package.
    const result = evaluate({
      order: order([orderLine("tm-package", "STARTER-KIT", 1, 45_000n)]),
      planVersion: { id: "fast-start", version: 1, rules: unilevelPlan({ kits: percentRates("10") }, { id: "fast-start" }) },
      catalog: standardCatalog(),
      upline: chain("enroller", "their-sponsor"),
      settings: EXCLUDE_SHIPPING_AND_TAX,
    });
    expect(paid(result.lines)).toEqual(["tm-package L1 enroller 4500"]);
  });

  it("refund: $100 order at 10% pays $10; a $30 refund takes back $3 leaving $7; the full refund leaves $0", () => {
    // "Order = $100. Commission = 10% = $10. You refund $30 … Commission adjustment: $30 × 10% = $3 …
    // now reads $10 - $3 = $7"; full refund: "Commission on the existing row drops to $0".
    // https://docs.avada.io/affiliate-marketing/conversions/refund-handling/
    const original = evaluate({
      order: order([orderLine("item", "CREAM-50", 1, 10_000n)]),
      planVersion: { id: "affiliate", version: 1, rules: unilevelPlan({ standard: percentRates("10") }) },
      catalog: standardCatalog(),
      upline: chain("affiliate"),
      settings: EXCLUDE_SHIPPING_AND_TAX,
    });
    expect(paid(original.lines)).toEqual(["item L1 affiliate 1000"]);
    const partial = reverseForRefund({
      original,
      refund: refund("r30", [{ platformLineId: "item", quantity: 0, subtotalMinor: 3_000n }]),
      progress: NOTHING_REVERSED,
    });
    expect(paid(partial.lines)).toEqual(["item L1 affiliate -300"]);
    expect(perRecipient([...original.lines, ...partial.lines])).toEqual({ affiliate: 700n });
    const rest = reverseForRefund({
      original,
      refund: refund("r70", [{ platformLineId: "item", quantity: 1, subtotalMinor: 7_000n }]),
      progress: partial.progress,
    });
    expect(perRecipient([...original.lines, ...partial.lines, ...rest.lines])).toEqual({ affiliate: 0n });
  });

  it("doTERRA-style fast start 20/10/5 without compression: an unqualified enroller's share is breakage", () => {
    // "The first level Enroller receives twenty (20%) percent, the second level Enroller receives ten (10%)
    // percent, and the third level Enroller receives five (5%) percent" and "Unearned bonuses do not roll up to
    // any other Enroller" — http://www.doterraeveryday.com.au/compensation-fast-start-bonus-paid-weekly/
    // (rates published; the cents below are derived for a 100.00 order).
    const result = evaluate({
      order: order([orderLine("oil", "SERUM-30", 1, 10_000n)]),
      planVersion: {
        id: "fast-start",
        version: 1,
        rules: unilevelPlan({ standard: percentRates("20", "10", "5") }, { compression: "none", id: "fast-start" }),
      },
      catalog: standardCatalog(),
      upline: chain("first", ["second", "inactive"], "third"),
      settings: EXCLUDE_SHIPPING_AND_TAX,
    });
    expect(paid(result.lines)).toEqual(["oil L1 first 2000", "oil L3 third 500"]);
    expect(result.breakage.map((line) => [line.level, line.distributorId, line.amountMinor])).toEqual([[2, "second", 1_000n]]);
  });

  it("rounds $29.99 × 10% to $3.00 (half-even of 2.999), where one vendor's page shows a truncated $2.99", () => {
    // support.refersion.com/managing-affiliates/how-to-automatically-adjust-refersion-conversions-for-cancellations-in-shopify
    // shows $2.99; our one rule rounds the exact 299.9 cents to the nearest cent.
    const result = evaluate({
      order: order([orderLine("item", "CREAM-50", 1, 2_999n)]),
      planVersion: { id: "p", version: 1, rules: unilevelPlan({ standard: percentRates("10") }) },
      catalog: standardCatalog(),
      upline: chain("affiliate"),
      settings: EXCLUDE_SHIPPING_AND_TAX,
    });
    expect(paid(result.lines)).toEqual(["item L1 affiliate 300"]);
  });
});
