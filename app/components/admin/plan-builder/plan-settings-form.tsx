import { FormLayout } from "@shopify/polaris";
import type { Json, PlanDraft } from "~/domain/plan-builder/plan-draft";
import { PlanSelect, PlanTextField, record, text, withOptional } from "./field-errors";

/** The version's own settings: when period components are computed, the least payout, the payout cap. */
export function PlanSettingsForm({
  draft,
  currency,
  onChange,
}: {
  readonly draft: PlanDraft;
  readonly currency: string;
  readonly onChange: (draft: PlanDraft) => void;
}) {
  const period = record(draft.plan.period);
  const minimum = record(period.minimumPayout);
  const setPlan = (key: string, value: Json | undefined) => onChange({ ...draft, plan: withOptional(draft.plan, key, value) });
  return (
    <FormLayout>
      <FormLayout.Group condensed>
        <PlanSelect
          label="Period (for binary, ranks and matching)"
          path="period.schedule"
          value={text(period.schedule)}
          options={[
            { label: "No period", value: "" },
            { label: "Weekly", value: "weekly" },
            { label: "Monthly", value: "monthly" },
          ]}
          onChange={(schedule) => setPlan("period", schedule === "" ? undefined : { ...period, schedule })}
        />
        {text(period.schedule) !== "" ? (
          <PlanTextField
            label="Least payout after a close (minor units)"
            path="period.minimumPayout.amountMinor"
            value={text(minimum.amountMinor)}
            onChange={(amountMinor) =>
              setPlan(
                "period",
                withOptional(period, "minimumPayout", amountMinor === "" ? undefined : { amountMinor, currency: text(minimum.currency) || currency }),
              )
            }
            helpText="Empty: any amount"
          />
        ) : null}
        <PlanTextField
          label="Most the plan pays (% of sales)"
          path="maxPayoutPercent"
          value={text(draft.plan.maxPayoutPercent)}
          onChange={(value) => setPlan("maxPayoutPercent", value)}
          suffix="%"
          helpText="Empty: no cap"
        />
      </FormLayout.Group>
    </FormLayout>
  );
}
