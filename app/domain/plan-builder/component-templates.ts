/**
 * What "Add component" puts in the form: each type with the fields its schema requires, filled with a common
 * starting point the merchant then edits. The ids are made unique within the draft (the schema requires it).
 */
import { componentToDraft, type ComponentDraft, type Json } from "./plan-draft";

export const COMPONENT_TYPES = ["unilevel", "matrix", "fast_start", "binary", "rank", "matching", "rank_advancement"] as const;
export type BuilderComponentType = (typeof COMPONENT_TYPES)[number];

export const COMPONENT_LABELS: Record<BuilderComponentType, string> = {
  unilevel: "Unilevel",
  matrix: "Forced matrix",
  fast_start: "Fast-start bonus",
  binary: "Binary",
  rank: "Ranks",
  matching: "Matching bonus",
  rank_advancement: "Rank advancement bonus",
};

const percent = (value: string): Json => ({ kind: "percent", percent: value });

function template(type: BuilderComponentType, classId: string, currency: string): { [key: string]: Json } {
  switch (type) {
    case "unilevel":
      return { type, id: "unilevel", maxDepth: 3, compression: "dynamic", rates: { [classId]: [percent("10"), percent("5"), percent("2")] } };
    case "matrix":
      return { type, id: "matrix", width: 3, depth: 3, compression: "none", rates: { [classId]: [percent("5"), percent("5"), percent("5")] } };
    case "fast_start":
      return { type, id: "fast_start", windowDays: 60, compression: "none", rates: { [classId]: [percent("20")] } };
    case "binary":
      return {
        type,
        id: "binary",
        volume: "pv",
        pairVolume: "100",
        payout: { kind: "percent_of_pair_volume", percent: "10" },
        firstPair: "1:1",
        carry: { mode: "carry" },
      };
    case "rank":
      return {
        type,
        id: "ranks",
        volume: "pv",
        activeLegMinPersonalVolume: "50",
        ranks: [{ id: "bronze", personalVolume: "100", groupVolume: "500", activeLegs: 2 }],
      };
    case "matching":
      return { type, id: "matching", matches: ["unilevel"], compression: "none", generations: [{ percent: "10" }] };
    case "rank_advancement":
      return { type, id: "rank_advancement", currency, bonuses: { bronze: "10000" } };
  }
}

export function newComponent(type: BuilderComponentType, existing: readonly ComponentDraft[], classId: string, currency: string): ComponentDraft {
  const draft = componentToDraft(template(type, classId, currency));
  const taken = new Set(existing.map((component) => component.id));
  let id = String(draft.id);
  for (let n = 2; taken.has(id); n += 1) id = `${String(draft.id)}_${n}`;
  return { ...draft, id };
}
