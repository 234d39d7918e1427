import { describe, expect, it } from "vitest";
import { CorruptTreeError } from "./errors";
import type { TreeEdge } from "./tree";
import { uplineAt } from "./upline";

const t = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe("upline at an instant", () => {
  // C joins under B; B is moved from A to D on 2026-01-01.
  const edges: TreeEdge[] = [
    { nodeId: "A", parentId: "R", validFrom: t("2025-01-01"), validTo: null },
    { nodeId: "D", parentId: "R", validFrom: t("2025-01-01"), validTo: null },
    { nodeId: "B", parentId: "A", validFrom: t("2025-02-01"), validTo: t("2026-01-01") },
    { nodeId: "B", parentId: "D", validFrom: t("2026-01-01"), validTo: null },
    { nodeId: "C", parentId: "B", validFrom: t("2025-03-01"), validTo: null },
  ];
  const edgesOf = (id: string) => edges.filter((e) => e.nodeId === id);

  it("answers with the edges in force at that instant, nearest first", () => {
    expect(uplineAt("C", t("2025-12-31"), edgesOf)).toEqual(["B", "A", "R"]);
    expect(uplineAt("C", t("2026-01-01"), edgesOf)).toEqual(["B", "D", "R"]);
    expect(uplineAt("C", t("2025-02-15"), edgesOf)).toEqual([]);
    expect(uplineAt("C", t("2026-05-01"), edgesOf, 2)).toEqual(["B", "D"]);
  });

  it("refuses to loop forever on corrupt edges", () => {
    const looped: TreeEdge[] = [
      { nodeId: "X", parentId: "Y", validFrom: t("2025-01-01"), validTo: null },
      { nodeId: "Y", parentId: "X", validFrom: t("2025-01-01"), validTo: null },
    ];
    expect(() => uplineAt("X", t("2025-06-01"), (id) => looped.filter((e) => e.nodeId === id))).toThrow(CorruptTreeError);
  });
});
