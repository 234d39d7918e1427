import { useState } from "react";
import { draftFromJsonText, draftToJsonText, planToDraft, type PlanDraft } from "~/domain/plan-builder/plan-draft";

export type EditorMode = "form" | "json";

/**
 * The draft being built, in the forms or as JSON (the advanced view). Switching views converts through the pure
 * mapping, so neither view loses what the other typed; JSON that does not parse keeps the JSON view open.
 */
export function usePlanEditor(initialRulesText: string) {
  const [mode, setMode] = useState<EditorMode>("form");
  const [draft, setDraft] = useState<PlanDraft>(() => {
    const parsed = draftFromJsonText(initialRulesText);
    return parsed.ok ? parsed.draft : planToDraft({ schemaVersion: 1, components: [] });
  });
  const [jsonText, setJsonText] = useState(initialRulesText);
  const [jsonError, setJsonError] = useState<string | undefined>();

  return {
    mode,
    draft,
    setDraft,
    jsonText,
    setJsonText: (text: string) => {
      setJsonText(text);
      setJsonError(undefined);
    },
    jsonError,
    showJson: () => {
      setJsonText(draftToJsonText(draft));
      setMode("json");
    },
    showForm: () => {
      const parsed = draftFromJsonText(jsonText);
      if (!parsed.ok) return setJsonError(parsed.message);
      setDraft(parsed.draft);
      setMode("form");
    },
    /** What publish and preview send: the JSON view as typed, or the forms' plan. */
    rulesText: mode === "json" ? jsonText : draftToJsonText(draft),
  };
}
