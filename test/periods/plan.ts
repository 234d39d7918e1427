/**
 * The plan the period tests close: a monthly unilevel + binary + ranks + matching + rank advancement, every
 * number a decimal string as the plan format wants. Worked amounts are in close.test.ts.
 */
export const PERIOD_PLAN = {
  schemaVersion: 1,
  period: { schedule: "monthly", minimumPayout: { amountMinor: "10000", currency: "USD" } },
  components: [
    { type: "unilevel", id: "unilevel", maxDepth: 1, compression: "dynamic", rates: { general: [{ kind: "percent", percent: "10" }] } },
    {
      type: "binary",
      id: "binary",
      volume: "pv",
      pairVolume: "100",
      payout: { kind: "per_pair", amountMinor: "1000", currency: "USD" },
      firstPair: "1:1",
      carry: { mode: "carry" },
      capPerPeriod: { amountMinor: "2500", currency: "USD" },
    },
    {
      type: "rank",
      id: "ranks",
      volume: "pv",
      activeLegMinPersonalVolume: "0",
      ranks: [
        { id: "bronze", personalVolume: "0", groupVolume: "1000", activeLegs: 1 },
        { id: "silver", personalVolume: "0", groupVolume: "1500", maxLegPercent: "50", activeLegs: 2 },
      ],
    },
    { type: "matching", id: "matching", matches: ["binary", "unilevel"], compression: "dynamic", generations: [{ percent: "10" }] },
    { type: "rank_advancement", id: "rankup", currency: "USD", bonuses: { bronze: "2500", silver: "10000" } },
  ],
};
