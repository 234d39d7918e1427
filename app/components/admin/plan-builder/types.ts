import type { ComponentDraft } from "~/domain/plan-builder/plan-draft";

/** What every component form gets: its place in the plan (for error paths) and a way to replace itself. */
export interface ComponentFormProps {
  readonly index: number;
  readonly component: ComponentDraft;
  readonly onChange: (component: ComponentDraft) => void;
  readonly currency: string;
  readonly classKeys: readonly string[];
}
