/**
 * Validation of the component types beyond unilevel, and of the checks across components: every rejection
 * names the field and says what is wrong.
 */
import { describe, expect, it } from "vitest";
import { parsePlanRules, placementLevelsNeeded, uplineLevelsNeeded, validatePlanRules } from "./plan-schema";

const ranks = {
  type: "rank",
  id: "ranks",
  volume: "pv",
  activeLegMinPersonalVolume: "50",
  ranks: [
    { id: "silver", personalVolume: "100", groupVolume: "1000", activeLegs: 1 },
    { id: "gold", personalVolume: "100", groupVolume: "4350", maxLegPercent: "40", activeLegs: 2 },
  ],
};
const binary = {
  type: "binary",
  id: "binary",
  volume: "pv",
  pairVolume: "100",
  payout: { kind: "per_pair", amountMinor: "1000", currency: "USD" },
  firstPair: "1:2_or_2:1",
  carry: { mode: "carry", maxPoints: "5000" },
  capPerPeriod: { amountMinor: "500000", currency: "USD" },
};
const unilevel = { type: "unilevel", id: "uni", maxDepth: 3, compression: "dynamic", rates: { standard: [{ kind: "percent", percent: "10" }] } };
const matrix = { type: "matrix", id: "matrix", width: 3, depth: 7, compression: "none", rates: { standard: [{ kind: "percent", percent: "2" }] } };
const fastStart = {
  type: "fast_start",
  id: "fast",
  windowDays: 60,
  compression: "none",
  rates: { standard: [20, 10, 5].map((p) => ({ kind: "percent", percent: String(p) })) },
};
const matching = {
  type: "matching",
  id: "match",
  matches: ["uni", "binary"],
  compression: "dynamic",
  generations: [{ percent: "10" }, { percent: "5", minRank: "gold" }],
};
const advancement = { type: "rank_advancement", id: "advance", currency: "USD", bonuses: { silver: "10000", gold: "50000" } };

const combined = {
  schemaVersion: 1,
  period: { schedule: "monthly", minimumPayout: { amountMinor: "1000", currency: "USD" } },
  maxPayoutPercent: "50",
  components: [unilevel, matrix, fastStart, binary, ranks, matching, advancement],
};

function issuesOf(json: unknown) {
  const result = validatePlanRules(json);
  if (result.ok) throw new Error("expected the plan to be rejected");
  return result.issues;
}

const withComponents = (...components: unknown[]) => ({ ...combined, components });

describe("plan versions combining types", () => {
  it("accept unilevel + matrix + fast-start + binary + ranks + matching + rank advancement in one version", () => {
    const rules = parsePlanRules(combined);
    expect(rules.components.map((component) => component.type)).toEqual(["unilevel", "matrix", "fast_start", "binary", "rank", "matching", "rank_advancement"]);
    expect(uplineLevelsNeeded(rules)).toBe(3);
    expect(placementLevelsNeeded(rules)).toBe(7);
  });

  it.each([
    [
      "period components without a schedule",
      { ...combined, period: undefined },
      "period",
      "is required because the plan has period components (binary, rank, matching, rank_advancement)",
    ],
    ["an unknown schedule", { ...combined, period: { schedule: "daily" } }, "period.schedule", 'must be "weekly" or "monthly"'],
    ["a float pair volume", withComponents({ ...binary, pairVolume: 100 }), "components[0].pairVolume", 'must be a decimal string of points such as "100"'],
    ["a zero pair volume", withComponents({ ...binary, pairVolume: "0" }), "components[0].pairVolume", "must be more than 0"],
    ["an unknown first-pair ratio", withComponents({ ...binary, firstPair: "3:1" }), "components[0].firstPair", 'must be "1:1" or "1:2_or_2:1"'],
    [
      "an unknown carry mode",
      withComponents({ ...binary, carry: { mode: "keep" } }),
      "components[0].carry.mode",
      'must be {"mode": "flush"} or {"mode": "carry"}',
    ],
    [
      "an unknown payout kind",
      withComponents({ ...binary, payout: { kind: "per_cycle" } }),
      "components[0].payout.kind",
      'must be "per_pair" or "percent_of_pair_volume"',
    ],
    [
      "a matrix rate list deeper than the matrix",
      withComponents({
        ...matrix,
        depth: 1,
        rates: {
          standard: [
            { kind: "percent", percent: "1" },
            { kind: "percent", percent: "1" },
          ],
        },
      }),
      "components[0].rates.standard",
      "lists 2 levels but depth is 1",
    ],
    ["a matrix width of 0", withComponents({ ...matrix, width: 0 }), "components[0].width", "must be at least 1"],
    ["a fast-start window of 0 days", withComponents({ ...fastStart, windowDays: 0 }), "components[0].windowDays", "must be at least 1"],
    ["a rank used twice", withComponents({ ...ranks, ranks: [ranks.ranks[0], ranks.ranks[0]] }), "components[0].ranks[1].id", '"silver" is used twice'],
    [
      "a leg cap over 100%",
      withComponents({ ...ranks, ranks: [{ ...ranks.ranks[1], maxLegPercent: "140" }] }),
      "components[0].ranks[0].maxLegPercent",
      "must not exceed 100",
    ],
    ["two rank components", withComponents(ranks, { ...ranks, id: "ranks2" }), "components[1].type", "only one rank component is allowed"],
    [
      "a rank depth for a rank the plan lacks",
      withComponents(ranks, { ...unilevel, rankDepth: { byRank: { platinum: 2 }, unranked: 1 } }),
      "components[1].rankDepth.byRank.platinum",
      'rank "platinum" is not one of the plan\'s ranks (silver, gold)',
    ],
    [
      "a rank depth without any rank component",
      withComponents({ ...unilevel, rankDepth: { byRank: { gold: 2 }, unranked: 1 } }),
      "components[0].rankDepth.byRank.gold",
      'rank "gold" is not defined: add a "rank" component that lists it',
    ],
    [
      "a rank depth deeper than maxDepth",
      withComponents(ranks, { ...unilevel, rankDepth: { byRank: { gold: 9 }, unranked: 1 } }),
      "components[1].rankDepth.byRank.gold",
      "is 9 but maxDepth is 3",
    ],
    [
      "both rates and a differential",
      withComponents(ranks, { ...unilevel, differential: { rates: { standard: { gold: "5" } } } }),
      "components[1].rates",
      'exactly one of "rates" and "differential" must be given',
    ],
    [
      "matching on a component that does not exist",
      withComponents(ranks, { ...matching, matches: ["nope"] }),
      "components[1].matches[0]",
      '"nope" is not a component of this plan',
    ],
    [
      "matching on a matching bonus",
      withComponents(ranks, unilevel, binary, { ...matching, matches: ["uni", "match2"] }, { ...matching, id: "match2" }),
      "components[3].matches[1]",
      '"match2" is a matching component; only unilevel, matrix, fast_start, binary earnings can be matched',
    ],
    [
      "a matching minRank the plan lacks",
      withComponents(ranks, unilevel, binary, { ...matching, generations: [{ percent: "5", minRank: "diamond" }] }),
      "components[3].generations[0].minRank",
      'rank "diamond" is not one of the plan\'s ranks (silver, gold)',
    ],
    [
      "an advancement bonus for an unknown rank",
      withComponents(ranks, { ...advancement, bonuses: { emerald: "100" } }),
      "components[1].bonuses.emerald",
      'rank "emerald" is not one of the plan\'s ranks (silver, gold)',
    ],
    [
      "per-order percentages above the payout share",
      { ...combined, maxPayoutPercent: "30" },
      "maxPayoutPercent",
      'is 30 but the per-order percentages of class "standard" add up to 47',
    ],
  ])("rejects %s, naming the field", (_name, json, path, message) => {
    expect(issuesOf(json)).toContainEqual({ path, message });
  });

  it("keeps stored unilevel-only plans valid and byte-identical after parsing (no defaults are added)", () => {
    const stored = { schemaVersion: 1, components: [unilevel] };
    expect(JSON.stringify(parsePlanRules(stored))).toBe(JSON.stringify(stored));
  });
});
