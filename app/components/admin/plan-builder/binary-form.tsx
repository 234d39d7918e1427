import { FormLayout } from "@shopify/polaris";
import { componentPath, type Json } from "~/domain/plan-builder/plan-draft";
import { PlanSelect, PlanTextField, record, text, VOLUME_OPTIONS, withOptional } from "./field-errors";
import type { ComponentFormProps } from "./types";

/** Binary: pairing volume, payout per pair or percent, first pair, carry (with its cap), caps per period. */
export function BinaryForm({ index, component, onChange, currency }: ComponentFormProps) {
  const at = (...parts: string[]) => componentPath(index, ...parts);
  const set = (key: string, value: Json | undefined) => onChange(withOptional(component as { [key: string]: Json }, key, value));
  const payout = record(component.payout);
  const carry = record(component.carry);
  const cap = record(component.capPerPeriod);
  return (
    <FormLayout>
      <FormLayout.Group condensed>
        <PlanTextField label="Rule id" path={at("id")} value={text(component.id as string)} onChange={(value) => set("id", value)} />
        <PlanSelect
          label="Volume"
          path={at("volume")}
          value={text(component.volume as string)}
          options={VOLUME_OPTIONS}
          onChange={(value) => set("volume", value)}
        />
        <PlanTextField
          label="Points per pair (each leg)"
          path={at("pairVolume")}
          value={text(component.pairVolume as string)}
          onChange={(value) => set("pairVolume", value)}
        />
      </FormLayout.Group>
      <FormLayout.Group condensed>
        <PlanSelect
          label="Payout"
          path={at("payout", "kind")}
          value={text(payout.kind)}
          options={[
            { label: "Percent of the paired volume", value: "percent_of_pair_volume" },
            { label: "Fixed amount per pair", value: "per_pair" },
          ]}
          onChange={(kind) => set("payout", kind === "per_pair" ? { kind, amountMinor: "", currency } : { kind, percent: "" })}
        />
        {text(payout.kind) === "per_pair" ? (
          <PlanTextField
            label="Per pair (minor units)"
            path={at("payout", "amountMinor")}
            value={text(payout.amountMinor)}
            onChange={(amountMinor) => set("payout", { ...payout, amountMinor })}
          />
        ) : (
          <PlanTextField
            label="Percent of pair volume"
            path={at("payout", "percent")}
            value={text(payout.percent)}
            onChange={(percent) => set("payout", { ...payout, percent })}
            suffix="%"
          />
        )}
        <PlanSelect
          label="First pair"
          path={at("firstPair")}
          value={text(component.firstPair as string)}
          options={[
            { label: "1:1", value: "1:1" },
            { label: "1:2 or 2:1", value: "1:2_or_2:1" },
          ]}
          onChange={(value) => set("firstPair", value)}
        />
      </FormLayout.Group>
      <FormLayout.Group condensed>
        <PlanSelect
          label="Unpaired volume"
          path={at("carry", "mode")}
          value={text(carry.mode)}
          options={[
            { label: "Carries to the next period", value: "carry" },
            { label: "Is flushed", value: "flush" },
          ]}
          onChange={(mode) => set("carry", { mode })}
        />
        {text(carry.mode) === "carry" ? (
          <PlanTextField
            label="Most points carried per leg"
            path={at("carry", "maxPoints")}
            value={text(carry.maxPoints)}
            onChange={(maxPoints) => set("carry", withOptional(carry, "maxPoints", maxPoints))}
            helpText="Empty: no cap"
          />
        ) : null}
        <PlanTextField
          label="Cap per period (minor units)"
          path={at("capPerPeriod", "amountMinor")}
          value={text(cap.amountMinor)}
          onChange={(amountMinor) => set("capPerPeriod", amountMinor === "" ? undefined : { amountMinor, currency: text(cap.currency) || currency })}
          helpText="Empty: no cap"
        />
        <PlanTextField
          label="Most cycles per period"
          path={at("maxCyclesPerPeriod")}
          value={text(component.maxCyclesPerPeriod as string)}
          onChange={(value) => set("maxCyclesPerPeriod", value)}
          helpText="Empty: no limit"
        />
        <PlanSelect
          label="Paid on"
          path={at("basis")}
          value={text(component.basis as string)}
          options={[
            { label: "The weaker leg (default)", value: "" },
            { label: "The weaker leg", value: "weak_leg" },
            { label: "Stronger minus weaker", value: "strong_minus_weak" },
          ]}
          onChange={(value) => set("basis", value)}
        />
      </FormLayout.Group>
    </FormLayout>
  );
}
