import { describe, expect, it } from "vitest";
import { EngineInputError } from "./errors";
import { evaluate } from "./evaluate";
import { EXCLUDE_SHIPPING_AND_TAX, chain, order, orderLine, percentRates, standardCatalog, unilevelPlan } from "~test/support/engine";
import type { EvaluationInput } from "./types";

const base: EvaluationInput = {
  order: order([orderLine("a", "CREAM-50", 1, 10_000n)]),
  planVersion: { id: "p", version: 1, rules: unilevelPlan({ standard: percentRates("10", "5") }) },
  catalog: standardCatalog(),
  upline: chain("ana", "ben"),
  settings: EXCLUDE_SHIPPING_AND_TAX,
};

describe("evaluate", () => {
  it("runs every plan component in plan order, each line tagged with its rule and kind", () => {
    const result = evaluate({
      ...base,
      planVersion: {
        id: "p",
        version: 1,
        rules: {
          schemaVersion: 1,
          components: [
            ...unilevelPlan({ standard: percentRates("10") }, { id: "retail" }).components,
            ...unilevelPlan({ standard: percentRates("1", "1") }, { id: "team", compression: "none" }).components,
          ],
        },
      },
    });
    expect(result.lines.map((line) => [line.rule, line.kind, line.level, line.distributorId, line.amountMinor])).toEqual([
      ["retail", "unilevel", 1, "ana", 1_000n],
      ["team", "unilevel", 1, "ana", 100n],
      ["team", "unilevel", 2, "ben", 100n],
    ]);
    expect(result.components.map((component) => component.rule)).toEqual(["retail", "team"]);
  });

  it("without an attributed distributor pays nothing, reports all of it as breakage and says why", () => {
    const result = evaluate({ ...base, upline: [] });
    expect(result.lines).toEqual([]);
    expect(result.totals.breakageMinor).toBe(1_500n);
    expect(result.flags).toEqual([{ type: "no_attributed_distributor" }]);
  });

  it("writes no zero lines: an award that rounds to 0 is neither paid nor breakage", () => {
    const result = evaluate({ ...base, order: order([orderLine("a", "CREAM-50", 1, 4n)]) });
    expect(result.lines).toEqual([]);
    expect(result.breakage).toEqual([]);
  });

  it("flags a line discounted below zero and pays nothing on it", () => {
    const result = evaluate({ ...base, order: order([orderLine("a", "CREAM-50", 1, 1_000n, 1_200n)]) });
    expect(result.flags).toEqual([{ type: "negative_net_amount", orderLineId: "a", netMinor: -200n }]);
    expect(result.lines).toEqual([]);
  });

  it.each<[string, Partial<EvaluationInput>, string]>([
    ["a duplicate line id", { order: order([orderLine("a", "X", 1, 1n), orderLine("a", "Y", 1, 1n)]) }, "order.lines[1].platformLineId"],
    ["a fractional quantity", { order: order([orderLine("a", "X", 1.5, 1n)]) }, "order.lines[0].quantity"],
    ["a lower-case currency", { order: order([orderLine("a", "X", 1, 1n)], { currency: "usd" }) }, "order.currency"],
    ["a cycle in the upline", { upline: chain("ana", "ben", "ana") }, "upline[2].distributorId"],
    ["an upline listed top-down", { upline: chain("ana", "ben").reverse() }, "upline[1].sponsorDepth"],
    ["a missing default class", { catalog: { ...standardCatalog(), defaultClassId: "nope" } }, "catalog.defaultClassId"],
    [
      "a mapping to a missing class",
      {
        catalog: standardCatalog([{ platform: "shopify", platformSku: "CREAM-50", platformVariantId: "v", classId: "gone" }]),
        order: order([{ ...orderLine("a", "CREAM-50", 1, 1n), platformVariantId: "v" }]),
      },
      "catalog.mappings (CREAM-50)",
    ],
  ])("rejects %s, naming the field", (_name, patch, field) => {
    const run = () => evaluate({ ...base, ...patch });
    expect(run).toThrow(EngineInputError);
    expect(run).toThrow(`${field}:`);
  });
});
