import { describe, expect, it } from "vitest";
import { parseGenealogySettings, placementStructure, placementWidth } from "./settings.server";

describe("genealogy settings", () => {
  it("defaults every field: no placement tree, the company node, every customer enrolled, provisional for 30 days", () => {
    expect(parseGenealogySettings({})).toEqual({ placement: { kind: "none" }, defaultSponsor: null, enrollCustomers: "all", provisionalSponsorDays: 30 });
    expect(parseGenealogySettings(null)).toEqual(parseGenealogySettings({ genealogy: "garbage" }));
  });

  it("keeps valid fields and falls back per field on malformed ones", () => {
    const settings = parseGenealogySettings({
      includeShipping: true,
      genealogy: { placement: { kind: "matrix", width: 3, depth: 0 }, defaultSponsor: "HQ", enrollCustomers: "referred", provisionalSponsorDays: -1 },
    });
    expect(settings).toEqual({ placement: { kind: "none" }, defaultSponsor: "HQ", enrollCustomers: "referred", provisionalSponsorDays: 30 });
    expect(parseGenealogySettings({ genealogy: { provisionalSponsorDays: 0 } }).provisionalSponsorDays).toBe(0);
  });

  it("maps a placement setting to the domain's structure and slot width", () => {
    const binary = parseGenealogySettings({ genealogy: { placement: { kind: "binary", spillover: { kind: "weaker-leg" } } } }).placement;
    expect(placementStructure(binary)).toEqual({ kind: "binary", spillover: { kind: "weaker-leg", tieBreak: "left" } });
    expect(placementWidth(binary)).toBe(2);
    const matrix = parseGenealogySettings({ genealogy: { placement: { kind: "matrix", width: 3, depth: 9 } } }).placement;
    expect(placementStructure(matrix)).toEqual({ kind: "matrix", width: 3, depth: 9 });
    expect(placementWidth(matrix)).toBe(3);
    expect(placementStructure({ kind: "none" })).toBeNull();
  });
});
