import { BlockStack, Button, FormLayout, InlineStack, Text } from "@shopify/polaris";
import { componentPath, type Entry, type Json } from "~/domain/plan-builder/plan-draft";
import { COMPRESSION_OPTIONS, GroupError, list, PlanSelect, PlanTextField, record, text, withOptional } from "./field-errors";
import type { ComponentFormProps } from "./types";

/** Matching bonus: a percent per generation of what the enrollees earned from the matched components. */
export function MatchingForm({ index, component, onChange }: ComponentFormProps) {
  const at = (...parts: (string | number)[]) => componentPath(index, ...parts);
  const generations = list(component.generations);
  const setGenerations = (next: Json[]) => onChange({ ...component, generations: next });
  const matches = list(component.matches).map((id) => text(id));
  return (
    <BlockStack gap="300">
      <FormLayout>
        <FormLayout.Group condensed>
          <PlanTextField label="Rule id" path={at("id")} value={text(component.id as string)} onChange={(id) => onChange({ ...component, id })} />
          <PlanTextField
            label="Matches the rules"
            path={at("matches")}
            value={matches.join(", ")}
            onChange={(value) =>
              onChange({
                ...component,
                matches: value
                  .split(",")
                  .map((id) => id.trim())
                  .filter((id) => id !== ""),
              })
            }
            helpText="Rule ids, separated by commas"
          />
          <PlanSelect
            label="Compression"
            path={at("compression")}
            value={text(component.compression as string)}
            options={COMPRESSION_OPTIONS}
            onChange={(compression) => onChange({ ...component, compression })}
          />
          <PlanTextField
            label="A generation ends at rank"
            path={at("generationEndsAtRank")}
            value={text(component.generationEndsAtRank as string)}
            onChange={(value) => onChange(withOptional(component as { [key: string]: Json }, "generationEndsAtRank", value))}
            helpText="Empty: a generation is one level"
          />
        </FormLayout.Group>
      </FormLayout>
      <GroupError path={at("generations")} />
      {generations.map((raw, position) => {
        const generation = record(raw);
        const setGeneration = (key: string, value: string) =>
          setGenerations(
            generations.map((current, g) =>
              g === position ? (key === "minRank" ? withOptional(generation, key, value) : { ...generation, [key]: value }) : current,
            ),
          );
        return (
          <InlineStack key={position} gap="200" blockAlign="end" wrap={false}>
            <PlanTextField
              label={`Generation ${position + 1} (%)`}
              path={at("generations", position, "percent")}
              value={text(generation.percent)}
              onChange={(value) => setGeneration("percent", value)}
              suffix="%"
            />
            <PlanTextField
              label="Least rank"
              path={at("generations", position, "minRank")}
              value={text(generation.minRank)}
              onChange={(value) => setGeneration("minRank", value)}
            />
          </InlineStack>
        );
      })}
      <InlineStack gap="200">
        <Button onClick={() => setGenerations([...generations, { percent: "" }])}>Add generation</Button>
        {generations.length > 0 ? <Button onClick={() => setGenerations(generations.slice(0, -1))}>Remove last generation</Button> : null}
      </InlineStack>
    </BlockStack>
  );
}

/** Rank advancement: a one-time amount the first time a distributor reaches each rank. */
export function RankAdvancementForm({ index, component, onChange }: ComponentFormProps) {
  const at = (...parts: (string | number)[]) => componentPath(index, ...parts);
  const bonuses = Array.isArray(component.bonuses) ? (component.bonuses as Entry[]) : [];
  const setBonus = (position: number, entry: Entry) => onChange({ ...component, bonuses: bonuses.map((current, b) => (b === position ? entry : current)) });
  return (
    <BlockStack gap="300">
      <FormLayout>
        <FormLayout.Group condensed>
          <PlanTextField label="Rule id" path={at("id")} value={text(component.id as string)} onChange={(id) => onChange({ ...component, id })} />
          <PlanTextField
            label="Currency"
            path={at("currency")}
            value={text(component.currency as string)}
            onChange={(currency) => onChange({ ...component, currency })}
          />
        </FormLayout.Group>
      </FormLayout>
      <Text as="h4" variant="headingSm">
        Bonus per rank reached
      </Text>
      <GroupError path={at("bonuses")} />
      {bonuses.map((entry, position) => (
        <InlineStack key={position} gap="200" blockAlign="end" wrap={false}>
          <PlanTextField
            label={`Rank ${position + 1}`}
            path={at("bonuses", entry.key)}
            value={entry.key}
            onChange={(key) => setBonus(position, { key, value: entry.value })}
          />
          <PlanTextField
            label="Bonus (minor units)"
            path={at("bonuses", entry.key)}
            value={text(entry.value)}
            onChange={(value) => setBonus(position, { key: entry.key, value })}
          />
          <Button tone="critical" variant="plain" onClick={() => onChange({ ...component, bonuses: bonuses.filter((_, b) => b !== position) })}>
            Remove
          </Button>
        </InlineStack>
      ))}
      <InlineStack>
        <Button onClick={() => onChange({ ...component, bonuses: [...bonuses, { key: "", value: "" }] })}>Add rank bonus</Button>
      </InlineStack>
    </BlockStack>
  );
}
