/**
 * Rank qualification worked examples (volumes in points; results in hundredths).
 */
import { describe, expect, it } from "vitest";
import { closePeriod } from "./close";
import { closeInput, periodPlan, pts, pv, tree } from "~test/support/periods";

// The 40/40/20 rule: "40% of 4,350 = 1,740" may come from any one leg [pub] —
// immasteryacademy.zendesk.com/hc/en-us/articles/360041616972. Director needs 4,350 GV with that cap.
const RANKS = {
  type: "rank",
  id: "ranks",
  volume: "pv",
  activeLegMinPersonalVolume: "50",
  ranks: [
    { id: "manager", personalVolume: "100", groupVolume: "2000", maxLegPercent: "40", activeLegs: 2 },
    { id: "director", personalVolume: "100", groupVolume: "4350", maxLegPercent: "40", activeLegs: 3 },
  ],
};
const plan = periodPlan([RANKS]);

// D personally sponsored A, B and C; A's leg also holds A2, C's leg C2.
const TREE = tree({
  D: {},
  A: { sponsor: "D" },
  A2: { sponsor: "A" },
  B: { sponsor: "D" },
  C: { sponsor: "D" },
  C2: { sponsor: "C" },
});

const rankOf = (volumes: Record<string, number>, extra = {}) =>
  closePeriod(closeInput({ planVersion: plan, distributors: TREE, volumes: pv(volumes), ...extra })).ranks.find((rank) => rank.distributorId === "D")!;

describe("rank qualification with a 40% leg cap", () => {
  it("a 3,000-point leg counts only 1,740 toward director, so 4,600 GV is not enough: D is paid as manager", () => {
    const rank = rankOf({ D: 100, A: 1_000, A2: 2_000, B: 1_000, C: 500 });
    expect(rank).toMatchObject({
      paidAsRank: "manager",
      achievedRank: "manager",
      personalHundredths: pts(100),
      groupHundredths: pts(4_600),
      // manager's cap is 40% of 2,000 = 800 per leg: 100 + 800 + 800 + 500
      qualifyingGroupHundredths: pts(2_200),
      activeLegs: 3,
    });
  });

  it("legs of 1,740 / 1,500 / 1,010 reach exactly 4,350: director", () => {
    expect(rankOf({ D: 100, A: 1_740, B: 1_500, C: 1_010 })).toMatchObject({ paidAsRank: "director", qualifyingGroupHundredths: pts(4_350) });
  });

  it("a leg whose first distributor has less than 50 PV is not active: 2 active legs are too few for director", () => {
    // C's leg has 1,040 (C 40 + C2 1,000): director's volume is there (4,380) but not the third active leg.
    expect(rankOf({ D: 100, A: 1_740, B: 1_500, C: 40, C2: 1_000 })).toMatchObject({ paidAsRank: "manager", activeLegs: 2 });
  });

  it("keeps the highest rank achieved apart from the paid-as rank, which can drop", () => {
    const rank = rankOf({ D: 100, A: 1_000, B: 1_000, C: 500 }, { previousRanks: [{ distributorId: "D", highestRank: "director" }] });
    expect(rank).toMatchObject({ paidAsRank: "manager", achievedRank: "director", previousHighestRank: "director" });
  });

  it("an inactive distributor qualifies for no rank, whatever the volume", () => {
    const inactive = tree({ D: { status: "inactive" }, A: { sponsor: "D" }, B: { sponsor: "D" }, C: { sponsor: "D" } });
    const result = closePeriod(closeInput({ planVersion: plan, distributors: inactive, volumes: pv({ D: 100, A: 1_740, B: 1_500, C: 1_010 }) }));
    expect(result.ranks.find((rank) => rank.distributorId === "D")).toMatchObject({ paidAsRank: null, achievedRank: null });
  });
});
