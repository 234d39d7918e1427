/**
 * Matching bonus worked examples: generations follow the sponsor tree, never the placement tree.
 */
import { describe, expect, it } from "vitest";
import { closePeriod } from "./close";
import { closeInput, earned, periodPlan, pv, tree } from "~test/support/periods";

const UNILEVEL = { type: "unilevel", id: "uni", maxDepth: 1, compression: "dynamic", rates: { standard: [{ kind: "percent", percent: "10" }] } };

describe("a generational matching bonus", () => {
  it("3% on generations 1–2: Mary and Susan earned $100 each, Larry, Sharon and Steve $200 each → Joe earns $24", () => {
    // "Joe's total: $24" [pub] — kuveraglobal.com/opportunity.html (3% match on generations 1–2).
    const plan = periodPlan([
      UNILEVEL,
      { type: "matching", id: "match", matches: ["uni"], compression: "dynamic", generations: [{ percent: "3" }, { percent: "3" }] },
    ]);
    const distributors = tree({
      Joe: {},
      Mary: { sponsor: "Joe" },
      Susan: { sponsor: "Joe" },
      Larry: { sponsor: "Mary" },
      Sharon: { sponsor: "Mary" },
      Steve: { sponsor: "Susan" },
      // Placement puts Steve under Joe directly: matching must ignore it.
    }).map((d) => (d.distributorId === "Steve" ? { ...d, placement: { parentId: "Joe", side: "left" as const } } : d));
    const result = closePeriod(
      closeInput({ planVersion: plan, distributors, earnings: earned({ Mary: 10_000, Susan: 10_000, Larry: 20_000, Sharon: 20_000, Steve: 20_000 }) }),
    );
    const joe = result.lines.filter((line) => line.distributorId === "Joe");
    expect(joe.reduce((sum, line) => sum + line.amountMinor, 0n)).toBe(2_400n);
    expect(joe.map((line) => line.detail)).toEqual([
      { type: "matching", sourceDistributorId: "Larry", generation: 2, basisMinor: 20_000n, percent: "3" },
      { type: "matching", sourceDistributorId: "Mary", generation: 1, basisMinor: 10_000n, percent: "3" },
      { type: "matching", sourceDistributorId: "Sharon", generation: 2, basisMinor: 20_000n, percent: "3" },
      { type: "matching", sourceDistributorId: "Steve", generation: 2, basisMinor: 20_000n, percent: "3" },
      { type: "matching", sourceDistributorId: "Susan", generation: 1, basisMinor: 10_000n, percent: "3" },
    ]);
    // Mary matches her two (3% of $400 = $12), Susan hers ($6); nobody matches their own earnings.
    expect(result.totals.map((total) => [total.distributorId, total.amountMinor])).toEqual([
      ["Joe", 2_400n],
      ["Mary", 1_200n],
      ["Susan", 600n],
    ]);
    expect(result.totals.map((total) => total.idempotencyKey)).toEqual(["period:2026-03:match:Joe", "period:2026-03:match:Mary", "period:2026-03:match:Susan"]);
  });

  it("a rank-based match: a C4 gets 20% of a personally enrolled leader's $5,000, i.e. $1,000", () => {
    // "C4 = 20%… earns $5,000… matcher gets $1,000" [pub] — connect-13.gitbook.io/connect/connect-referral-program/matching-bonus
    const ranks = {
      type: "rank",
      id: "ranks",
      volume: "pv",
      activeLegMinPersonalVolume: "0",
      ranks: ["C1", "C2", "C3", "C4"].map((id, index) => ({ id, personalVolume: String(100 * (index + 1)), groupVolume: "0", activeLegs: 0 })),
    };
    const plan = periodPlan([
      UNILEVEL,
      ranks,
      { type: "matching", id: "match", matches: ["uni"], compression: "dynamic", generations: [{ percent: "20", minRank: "C4" }] },
    ]);
    const distributors = tree({ Matcher: {}, Leader: { sponsor: "Matcher" }, Small: {}, Other: { sponsor: "Small" } });
    const result = closePeriod(
      closeInput({ planVersion: plan, distributors, volumes: pv({ Matcher: 400, Small: 300 }), earnings: earned({ Leader: 500_000, Other: 500_000 }) }),
    );
    expect(result.lines.map((line) => [line.distributorId, line.amountMinor])).toEqual([["Matcher", 100_000n]]);
    // Small is only C3: the match is not paid and does not roll up.
    expect(result.breakage).toEqual([
      { rule: "match", kind: "matching", distributorId: "Small", amountMinor: 100_000n, currency: "USD", reason: "not_qualified" },
    ]);
  });

  it("generational counting: a generation runs down to the first gold on each line", () => {
    const ranks = {
      type: "rank",
      id: "ranks",
      volume: "pv",
      activeLegMinPersonalVolume: "0",
      ranks: [{ id: "gold", personalVolume: "100", groupVolume: "0", activeLegs: 0 }],
    };
    const plan = periodPlan([
      UNILEVEL,
      ranks,
      {
        type: "matching",
        id: "match",
        matches: ["uni"],
        compression: "dynamic",
        generations: [{ percent: "10" }, { percent: "5" }],
        generationEndsAtRank: "gold",
      },
    ]);
    // M → a (not gold) → G (gold) → b → c. For M: a and G are generation 1 (down to and including the first
    // gold), b and c generation 2.
    const distributors = tree({ M: {}, a: { sponsor: "M" }, G: { sponsor: "a" }, b: { sponsor: "G" }, c: { sponsor: "b" } });
    const result = closePeriod(
      closeInput({ planVersion: plan, distributors, volumes: pv({ G: 100 }), earnings: earned({ a: 1_000, G: 1_000, b: 1_000, c: 1_000 }) }),
    );
    const forM = result.lines.filter((line) => line.distributorId === "M").map((line) => line.detail);
    expect(forM).toEqual([
      { type: "matching", sourceDistributorId: "G", generation: 1, basisMinor: 1_000n, percent: "10" },
      { type: "matching", sourceDistributorId: "a", generation: 1, basisMinor: 1_000n, percent: "10" },
      { type: "matching", sourceDistributorId: "b", generation: 2, basisMinor: 1_000n, percent: "5" },
      { type: "matching", sourceDistributorId: "c", generation: 2, basisMinor: 1_000n, percent: "5" },
    ]);
  });

  it("matches this close's binary earnings too, but never a matching bonus", () => {
    const binary = {
      type: "binary",
      id: "binary",
      volume: "pv",
      pairVolume: "100",
      payout: { kind: "per_pair", amountMinor: "1000", currency: "USD" },
      firstPair: "1:1",
      carry: { mode: "flush" },
    };
    const plan = periodPlan([
      binary,
      { type: "matching", id: "match", matches: ["binary"], compression: "dynamic", generations: [{ percent: "10" }, { percent: "10" }] },
    ]);
    const distributors = tree({ S: {}, E: { sponsor: "S" }, L: { sponsor: "E", parent: "E", side: "left" }, R: { sponsor: "E", parent: "E", side: "right" } });
    const result = closePeriod(closeInput({ planVersion: plan, distributors, volumes: pv({ L: 300, R: 300 }) }));
    // E earns 3 pairs = $30 binary; S matches 10% = $3. E's matching of nothing, and S's $3 is not matched by anyone.
    expect(result.lines.map((line) => [line.rule, line.distributorId, line.amountMinor])).toEqual([
      ["binary", "E", 3_000n],
      ["match", "S", 300n],
    ]);
  });
});
