/**
 * The company node at the close: never paid (binary pairs of the roots placed under it, matching, rank bonuses),
 * never ranked; the people under it are paid as usual.
 */
import { describe, expect, it } from "vitest";
import { closePeriod } from "./close";
import { BINARY, closeInput, earned, periodPlan, pv, tree } from "~test/support/periods";

// COMPANY is the root of both trees; two unrelated roots L and R were placed in its legs.
const distributors = tree({ L: { sponsor: "COMPANY", parent: "COMPANY", side: "left" }, R: { sponsor: "COMPANY", parent: "COMPANY", side: "right" } });
const company = { distributorId: "COMPANY", sponsorId: null, placement: null, status: "active" as const, company: true };

const plan = periodPlan([
  { type: "unilevel", id: "uni", maxDepth: 1, compression: "dynamic", rates: { standard: [{ kind: "percent", percent: "10" }] } },
  BINARY,
  {
    type: "rank",
    id: "ranks",
    volume: "pv",
    activeLegMinPersonalVolume: "0",
    ranks: [{ id: "bronze", personalVolume: "0", groupVolume: "300", activeLegs: 1 }],
  },
  { type: "matching", id: "match", matches: ["uni", "binary"], compression: "dynamic", generations: [{ percent: "10" }] },
  { type: "rank_advancement", id: "rankup", currency: "USD", bonuses: { bronze: "2500" } },
]);

describe("the company node at the close", () => {
  it("keeps its binary pairs, matching and rank bonus as company_node breakage, and holds no rank", () => {
    const result = closePeriod(
      closeInput({
        planVersion: plan,
        distributors: [company, ...distributors],
        volumes: pv({ L: 300, R: 500 }),
        earnings: earned({ L: 3_000, R: 5_000 }, "uni"),
      }),
    );
    // Without the rule: COMPANY 3 pairs = 30.00, bronze (GV 800, 2 active legs) 25.00, matching 10 % of L's 30.00
    // and R's 50.00. L and R have no leg of their own: no rank, no pair.
    expect(result.lines.filter((line) => line.distributorId === "COMPANY")).toEqual([]);
    expect(result.breakage.filter((line) => line.reason === "company_node").map((line) => [line.rule, line.distributorId, line.amountMinor])).toEqual([
      ["binary", "COMPANY", 3_000n],
      ["match", "COMPANY", 300n],
      ["match", "COMPANY", 500n],
    ]);
    expect(result.ranks.find((rank) => rank.distributorId === "COMPANY")).toMatchObject({ paidAsRank: null, achievedRank: null, groupHundredths: 80_000n });
    expect(result.payouts.map((payout) => payout.distributorId)).not.toContain("COMPANY");
    expect(result.totals.map((total) => total.distributorId)).not.toContain("COMPANY");
  });

  it("changes nothing for a shop without one", () => {
    const plain = closePeriod(
      closeInput({
        planVersion: plan,
        distributors: tree({ C: {}, L: { sponsor: "C", parent: "C", side: "left" }, R: { sponsor: "C", parent: "C", side: "right" } }),
        volumes: pv({ L: 300, R: 500 }),
      }),
    );
    expect(plain.lines.map((line) => [line.rule, line.distributorId, line.amountMinor])).toEqual([
      ["binary", "C", 3_000n],
      ["rankup", "C", 2_500n],
    ]);
    expect(plain.ranks.find((rank) => rank.distributorId === "C")).toMatchObject({ paidAsRank: "bronze" });
  });
});
