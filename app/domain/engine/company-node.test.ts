/**
 * The company node is never paid per order, whatever the component: what a unilevel, differential, matrix or
 * fast-start level would pay it is breakage with reason "company_node", and the snapshot replays it.
 */
import { describe, expect, it } from "vitest";
import { evaluate } from "./evaluate";
import { parsePlanRules } from "./plan-schema";
import { evaluationToJson, inputFromSnapshot } from "./snapshot";
import { EXCLUDE_SHIPPING_AND_TAX, order, orderLine, percentRates, standardCatalog } from "~test/support/engine";
import type { EvaluationInput, PlacementUplineNode, UplineNode } from "./types";

const RANKS = {
  type: "rank",
  id: "ranks",
  volume: "pv",
  activeLegMinPersonalVolume: "0",
  ranks: [
    { id: "bronze", personalVolume: "0", groupVolume: "0", activeLegs: 0 },
    { id: "gold", personalVolume: "0", groupVolume: "5000", activeLegs: 2 },
  ],
};

const plan = (components: unknown[]) => ({ id: "plan", version: 1, rules: parsePlanRules({ schemaVersion: 1, period: { schedule: "monthly" }, components }) });

// ana ← ben ← COMPANY (the root): the company node holds level 3 of the sponsor chain and 2 of the placement chain.
const upline: UplineNode[] = [
  { distributorId: "ana", status: "active", rank: "bronze", sponsorDepth: 2 },
  { distributorId: "ben", status: "active", rank: "bronze", sponsorDepth: 1 },
  { distributorId: "company", status: "active", rank: "gold", sponsorDepth: 0, company: true },
];
const placementUpline: PlacementUplineNode[] = [
  { distributorId: "ana", status: "active", placementDepth: 1 },
  { distributorId: "company", status: "active", placementDepth: 0, company: true },
];

const input = (components: unknown[], extra: Partial<EvaluationInput> = {}): EvaluationInput => ({
  order: order([orderLine("cream", "CREAM-50", 1, 10_000n)]),
  planVersion: plan(components),
  catalog: standardCatalog(),
  upline,
  placementUpline,
  settings: EXCLUDE_SHIPPING_AND_TAX,
  ...extra,
});

const paid = (result: ReturnType<typeof evaluate>) => result.lines.map((line) => `${line.rule} L${line.level} ${line.distributorId} ${line.amountMinor}`);
const kept = (result: ReturnType<typeof evaluate>) =>
  result.breakage.map((line) => `${line.rule} L${line.level} ${line.distributorId} ${line.reason} ${line.amountMinor}`);

describe("the company node per order", () => {
  it("unilevel: its level is breakage (company_node), the levels below are paid, and the snapshot replays it", () => {
    const result = evaluate(input([{ type: "unilevel", id: "uni", maxDepth: 3, compression: "dynamic", rates: { standard: percentRates("10", "5", "3") } }]));
    expect(paid(result)).toEqual(["uni L1 ana 1000", "uni L2 ben 500"]);
    expect(kept(result)).toEqual(["uni L3 company company_node 300"]);
    expect(result.totals).toMatchObject({ paidMinor: 1_500n, breakageMinor: 300n });
    expect(result.components[0]).toMatchObject({ levels: [{ paid: true }, { paid: true }, { distributorId: "company", paid: false }] });
    expect(result.snapshot.upline[2]).toEqual({ distributorId: "company", status: "active", rank: "gold", sponsorDepth: 0, company: true });
    expect(result.snapshot.upline[0]).not.toHaveProperty("company");
    expect(evaluationToJson(evaluate(inputFromSnapshot(JSON.parse(JSON.stringify(result.snapshot)))))).toBe(evaluationToJson(result));
  });

  it("differential: the company node's difference (gold 12 − bronze 5 %) is breakage", () => {
    const result = evaluate(
      input([RANKS, { type: "unilevel", id: "diff", maxDepth: 3, compression: "dynamic", differential: { rates: { standard: { bronze: "5", gold: "12" } } } }]),
    );
    expect(paid(result)).toEqual(["diff L1 ana 500"]);
    expect(kept(result)).toEqual(["diff L3 company company_node 700"]);
  });

  it("matrix: its placement level is breakage", () => {
    const result = evaluate(input([{ type: "matrix", id: "matrix", width: 2, depth: 2, compression: "none", rates: { standard: percentRates("4", "3") } }]));
    expect(paid(result)).toEqual(["matrix L1 ana 400"]);
    expect(kept(result)).toEqual(["matrix L2 company company_node 300"]);
  });

  it("fast-start: a recruit sponsored by the company node pays it nothing", () => {
    const result = evaluate(
      input([{ type: "fast_start", id: "fast", windowDays: 60, compression: "none", rates: { standard: percentRates("20", "10") } }], {
        upline: [upline[2]!],
        buyer: { distributorId: "new", enrolledAt: "2026-02-20T00:00:00Z" },
      }),
    );
    expect(paid(result)).toEqual([]);
    expect(kept(result)).toEqual(["fast L1 company company_node 2000", "fast L2 null no_upline 1000"]);
  });
});
