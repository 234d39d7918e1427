/**
 * Named worked examples for the per-order plan types beyond plain unilevel: rank-based depth, differential
 * unilevel, forced matrix (placement and payouts) and fast-start. Exact cents, computed by hand in comments.
 */
import { describe, expect, it } from "vitest";
import { placeInMatrix } from "../genealogy/matrix-placement";
import { MemoryPlacementTree } from "../genealogy/memory-tree";
import { evaluate } from "./evaluate";
import { parsePlanRules } from "./plan-schema";
import { NOTHING_REVERSED, reverseForRefund } from "../refunds/reversal";
import { evaluationToJson, inputFromSnapshot } from "./snapshot";
import { EXCLUDE_SHIPPING_AND_TAX, chain, order, orderLine, percentRates, refund, standardCatalog } from "~test/support/engine";
import type { CommissionLine, EvaluationInput, PlacementUplineNode, UplineNode } from "./types";

function paid(lines: readonly Pick<CommissionLine, "distributorId" | "level" | "amountMinor" | "rule">[]) {
  return lines.map((line) => `${line.rule} L${line.level} ${line.distributorId} ${line.amountMinor}`);
}

const RANKS = {
  type: "rank",
  id: "ranks",
  volume: "pv",
  activeLegMinPersonalVolume: "0",
  ranks: [
    { id: "bronze", personalVolume: "50", groupVolume: "0", activeLegs: 0 },
    { id: "silver", personalVolume: "100", groupVolume: "1000", activeLegs: 1 },
    { id: "gold", personalVolume: "100", groupVolume: "5000", activeLegs: 2 },
  ],
};

function plan(components: unknown[]) {
  return { id: "plan", version: 1, rules: parsePlanRules({ schemaVersion: 1, period: { schedule: "monthly" }, components }) };
}

function ranked(...nodes: [string, string | null, ("active" | "inactive")?][]): UplineNode[] {
  return nodes.map(([distributorId, rank, status], index) => ({ distributorId, rank, status: status ?? "active", sponsorDepth: 100 - index }));
}

function input(upline: UplineNode[], rules: ReturnType<typeof plan>, lines = [orderLine("cream", "CREAM-50", 1, 10_000n)]): EvaluationInput {
  return { order: order(lines), planVersion: rules, catalog: standardCatalog(), upline, settings: EXCLUDE_SHIPPING_AND_TAX };
}

describe("rank-based unilevel depth", () => {
  // mlmsoftwaremanual.com/tiki-index.php?page=Dynamic+Compression+Option: a holder not qualified for a level
  // gets 0 for it ("Standard"). Here bronze is paid to level 1, silver to 3, gold to 5; unranked to level 1.
  const rules = plan([
    RANKS,
    {
      type: "unilevel",
      id: "uni",
      maxDepth: 5,
      compression: "dynamic",
      rates: { standard: percentRates("10", "5", "4", "3", "2") },
      rankDepth: { byRank: { bronze: 1, silver: 3, gold: 5 }, unranked: 1 },
    },
  ]);

  it("pays each holder only on the levels their paid-as rank reaches; the rest is breakage, not rolled up", () => {
    const result = evaluate(input(ranked(["ana", null], ["ben", "bronze"], ["cai", "silver"], ["dee", "silver"], ["eli", "gold"]), rules));
    expect(paid(result.lines)).toEqual(["uni L1 ana 1000", "uni L3 cai 400", "uni L5 eli 200"]);
    expect(result.breakage.map((line) => [line.level, line.distributorId, line.reason, line.amountMinor])).toEqual([
      [2, "ben", "not_qualified", 500n], // bronze reaches level 1 only
      [4, "dee", "not_qualified", 300n], // silver reaches level 3
    ]);
    expect(result.components[0]).toMatchObject({ levels: [{ paid: true }, { paid: false }, { paid: true }, { paid: false }, { paid: true }] });
  });
});

describe("differential unilevel", () => {
  // docs.be-infinity.com/compensation-plan/business-logic/bonus/unilevel-bonus: "You receive the difference
  // between your Unilevel Compensationbase and the highest Compensationbase of any Affiliate on the Sponsor
  // Line [below you]"; a non-qualified affiliate's share "gets passed up". Rates bronze 5%, silver 8%, gold 12%.
  const rules = plan([
    RANKS,
    { type: "unilevel", id: "diff", maxDepth: 6, compression: "dynamic", differential: { rates: { standard: { bronze: "5", silver: "8", gold: "12" } } } },
  ]);

  it("pays each rank the difference above what was already paid below, on a 123.45 line", () => {
    const result = evaluate(
      input(ranked(["ana", "bronze"], ["ben", "bronze"], ["cai", "silver"], ["dee", "bronze"], ["eli", "gold"], ["fay", "gold"]), rules, [
        orderLine("cream", "CREAM-50", 3, 4_115n),
      ]),
    );
    expect(paid(result.lines)).toEqual([
      "diff L1 ana 617", // 5% of 12345 = 617.25
      "diff L3 cai 370", // 8 − 5 = 3% = 370.35
      "diff L5 eli 494", // 12 − 8 = 4% = 493.8
    ]);
    expect(result.lines.map((line) => line.rate)).toEqual([
      { kind: "percent", percent: "5" },
      { kind: "percent", percent: "3" },
      { kind: "percent", percent: "4" },
    ]);
    // ben (same rate as below) and fay (gold above gold) earn nothing; the whole 12% was paid, no breakage.
    expect(result.breakage).toEqual([]);
    expect(result.totals.paidMinor).toBe(1_481n); // ≈ 12% of 12345 = 1481.4
  });

  it("an inactive silver's difference rolls up to the next holder with the same or a higher rate", () => {
    const result = evaluate(input(ranked(["ana", "bronze"], ["ben", "silver", "inactive"], ["cai", "silver"]), rules));
    expect(paid(result.lines)).toEqual(["diff L1 ana 500", "diff L2 cai 300"]);
    // Nobody gold above: the top 4% stays with the company.
    expect(result.breakage.map((line) => [line.reason, line.amountMinor, line.rate])).toEqual([["not_qualified", 400n, { kind: "percent", percent: "4" }]]);
  });
});

/** The placement chain of `nodeId` upward, as the service would load it (depth = distance from the root). */
function placementChain(tree: MemoryPlacementTree, nodeId: string): PlacementUplineNode[] {
  const ids: string[] = [];
  for (let id: string | null = nodeId; id !== null; id = tree.parentOf(id)) ids.push(id);
  return ids.map((distributorId, index) => ({ distributorId, status: "active", placementDepth: ids.length - 1 - index }));
}

describe("forced matrix 3 × 3", () => {
  const rules = plan([
    { type: "unilevel", id: "uni", maxDepth: 2, compression: "dynamic", rates: { standard: percentRates("10", "5") } },
    { type: "matrix", id: "matrix", width: 3, depth: 3, compression: "dynamic", rates: { standard: percentRates("4", "3", "2") } },
  ]);

  it("the fourth recruit of a width-3 sponsor lands under the first child and pays up the placement line", () => {
    // Spillover order: wtksoftware.com/clients/index.php?rp=/knowledgebase/16/Forced-Matrix-Plan.html ("filled
    // from top to bottom, left to right"; the referral "is tracked as one of the personal referrals of A").
    const tree = new MemoryPlacementTree("A");
    const parents = ["B", "C", "D", "E"].map((id) => {
      const placement = placeInMatrix(tree, "A", { width: 3, depth: 3 });
      tree.attach(id, placement.parentId, placement.position);
      return `${id}→${placement.parentId}`;
    });
    expect(parents).toEqual(["B→A", "C→A", "D→A", "E→B"]);

    // A customer of E buys 100.00: the sponsor line is E → A (A enrolled E), the placement line E → B → A.
    const result = evaluate({ ...input(chain("E", "A"), rules), placementUpline: placementChain(tree, "E") });
    expect(paid(result.lines)).toEqual([
      "uni L1 E 1000",
      "uni L2 A 500", // the sponsor stays the enroller
      "matrix L1 E 400",
      "matrix L2 B 300", // B is paid by placement only
      "matrix L3 A 200",
    ]);
    expect(result.components[1]).toMatchObject({ type: "matrix", levels: [{ distributorId: "E" }, { distributorId: "B" }, { distributorId: "A" }] });
  });

  it("the published K lands under D; an order of K's customer pays K, D, A", () => {
    const tree = MemoryPlacementTree.fromChildLists("A", { A: ["B", "C", "D"], B: ["E", "F", "G"], C: ["H", "I", "J"] });
    const placement = placeInMatrix(tree, "A", { width: 3, depth: 3 });
    tree.attach("K", placement.parentId, placement.position);
    const result = evaluate({ ...input(chain("K", "A"), rules), placementUpline: placementChain(tree, "K") });
    expect(paid(result.lines.filter((line) => line.rule === "matrix"))).toEqual(["matrix L1 K 400", "matrix L2 D 300", "matrix L3 A 200"]);
  });

  it("without a placement chain every matrix level is breakage, flagged", () => {
    const result = evaluate(input(chain("E", "A"), rules));
    expect(result.lines.filter((line) => line.rule === "matrix")).toEqual([]);
    expect(result.breakage.map((line) => [line.rule, line.level, line.reason])).toEqual([
      ["matrix", 1, "no_upline"],
      ["matrix", 2, "no_upline"],
      ["matrix", 3, "no_upline"],
    ]);
    expect(result.flags).toContainEqual({ type: "no_placement_upline", rule: "matrix" });
  });

  it("replays from its snapshot, placement chain included, and reverses a refund from it", () => {
    const tree = MemoryPlacementTree.fromChildLists("A", { A: ["B"], B: ["E"] });
    const result = evaluate({ ...input(chain("E", "A"), rules), placementUpline: placementChain(tree, "E") });
    const stored = JSON.parse(JSON.stringify(result.snapshot));
    expect(stored.placementUpline).toHaveLength(3);
    expect(evaluationToJson(evaluate(inputFromSnapshot(stored)))).toBe(evaluationToJson(result));
    const reversal = reverseForRefund({
      original: result,
      refund: refund("r", [{ platformLineId: "cream", quantity: 1, subtotalMinor: 10_000n }]),
      progress: NOTHING_REVERSED,
    });
    expect(reversal.lines.filter((line) => line.rule === "matrix").map((line) => [line.distributorId, line.amountMinor])).toEqual([
      ["E", -400n],
      ["B", -300n],
      ["A", -200n],
    ]);
  });
});

describe("fast-start 20 / 10 / 5 for 60 days", () => {
  // doTERRA: "20% / 10% / 5% … on every order in the new member's first 60 days", no compression:
  // doterra.com/US/en/blog/building-the-basics-of-fast-start (rates published; cents derived for 100.00).
  const rules = plan([{ type: "fast_start", id: "fast", windowDays: 60, compression: "none", rates: { standard: percentRates("20", "10", "5") } }]);
  const recruit = { distributorId: "new", enrolledAt: "2026-03-01T00:00:00Z" };
  const at = (orderedAt: string): EvaluationInput => ({
    order: order([orderLine("oil", "SERUM-30", 1, 10_000n)], { orderedAt }),
    planVersion: rules,
    catalog: standardCatalog(),
    upline: chain("enroller", ["second", "inactive"], "third"),
    settings: EXCLUDE_SHIPPING_AND_TAX,
    buyer: recruit,
  });

  it("pays the recruit's enrollers on an order inside the window; an inactive enroller's share is breakage", () => {
    const result = evaluate(at("2026-04-29T23:59:59Z")); // day 60 (window ends 2026-04-30T00:00Z)
    expect(paid(result.lines)).toEqual(["fast L1 enroller 2000", "fast L3 third 500"]);
    expect(result.breakage.map((line) => [line.distributorId, line.amountMinor])).toEqual([["second", 1_000n]]);
    expect(result.components[0]).toMatchObject({
      window: { recruitId: "new", enrolledAt: "2026-03-01T00:00:00Z", endsAt: "2026-04-30T00:00:00.000Z", inWindow: true },
    });
  });

  it("pays nothing once the window has ended, and nothing on a customer's order (no buying distributor)", () => {
    const after = evaluate(at("2026-04-30T00:00:00Z"));
    expect(after.lines).toEqual([]);
    expect(after.breakage).toEqual([]);
    expect(after.components[0]).toMatchObject({ window: { inWindow: false }, levels: [] });
    const customer = evaluate({ ...at("2026-03-02T00:00:00Z"), buyer: null });
    expect(customer.lines).toEqual([]);
    expect(customer.components[0]).toMatchObject({ window: null });
  });

  it("stores the buyer in the snapshot and replays it", () => {
    const result = evaluate(at("2026-03-10T00:00:00Z"));
    expect(result.snapshot.buyer).toEqual(recruit);
    expect(evaluationToJson(evaluate(inputFromSnapshot(JSON.parse(JSON.stringify(result.snapshot)))))).toBe(evaluationToJson(result));
  });
});

describe("plans combining types", () => {
  it("a plan with only period components pays nothing per order", () => {
    const rules = plan([RANKS]);
    expect(evaluate(input(chain("ana"), rules)).lines).toEqual([]);
  });
});
