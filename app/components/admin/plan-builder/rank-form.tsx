import { BlockStack, Button, FormLayout, InlineStack, Text } from "@shopify/polaris";
import { componentPath, type Json } from "~/domain/plan-builder/plan-draft";
import { GroupError, list, PlanSelect, PlanTextField, record, text, VOLUME_OPTIONS, withOptional } from "./field-errors";
import type { ComponentFormProps } from "./types";

/** Ranks, lowest first, each with its qualifications: personal and group volume, active legs, leg cap. */
export function RankForm({ index, component, onChange }: ComponentFormProps) {
  const at = (...parts: (string | number)[]) => componentPath(index, ...parts);
  const ranks = list(component.ranks);
  const setRanks = (next: Json[]) => onChange({ ...component, ranks: next });
  const setRank = (position: number, key: string, value: string) =>
    setRanks(
      ranks.map((rank, at) =>
        at === position ? (key === "maxLegPercent" ? withOptional(record(rank), key, value) : { ...record(rank), [key]: value }) : rank,
      ),
    );
  return (
    <BlockStack gap="300">
      <FormLayout>
        <FormLayout.Group condensed>
          <PlanTextField label="Rule id" path={at("id")} value={text(component.id as string)} onChange={(id) => onChange({ ...component, id })} />
          <PlanSelect
            label="Volume"
            path={at("volume")}
            value={text(component.volume as string)}
            options={VOLUME_OPTIONS}
            onChange={(volume) => onChange({ ...component, volume })}
          />
          <PlanTextField
            label="Active leg: least personal volume"
            path={at("activeLegMinPersonalVolume")}
            value={text(component.activeLegMinPersonalVolume as string)}
            onChange={(value) => onChange({ ...component, activeLegMinPersonalVolume: value })}
          />
        </FormLayout.Group>
      </FormLayout>
      <Text as="h4" variant="headingSm">
        Ranks, lowest first
      </Text>
      <GroupError path={at("ranks")} />
      {ranks.map((raw, position) => {
        const rank = record(raw);
        return (
          <InlineStack key={position} gap="200" blockAlign="end" wrap={false}>
            <PlanTextField
              label={`Rank ${position + 1}`}
              path={at("ranks", position, "id")}
              value={text(rank.id)}
              onChange={(value) => setRank(position, "id", value)}
            />
            <PlanTextField
              label="Personal volume"
              path={at("ranks", position, "personalVolume")}
              value={text(rank.personalVolume)}
              onChange={(value) => setRank(position, "personalVolume", value)}
            />
            <PlanTextField
              label="Group volume"
              path={at("ranks", position, "groupVolume")}
              value={text(rank.groupVolume)}
              onChange={(value) => setRank(position, "groupVolume", value)}
            />
            <PlanTextField
              label="Active legs"
              path={at("ranks", position, "activeLegs")}
              value={text(rank.activeLegs)}
              onChange={(value) => setRank(position, "activeLegs", value)}
            />
            <PlanTextField
              label="Most from one leg (%)"
              path={at("ranks", position, "maxLegPercent")}
              value={text(rank.maxLegPercent)}
              onChange={(value) => setRank(position, "maxLegPercent", value)}
              suffix="%"
            />
            <Button tone="critical" variant="plain" onClick={() => setRanks(ranks.filter((_, at) => at !== position))}>
              Remove
            </Button>
          </InlineStack>
        );
      })}
      <InlineStack>
        <Button onClick={() => setRanks([...ranks, { id: "", personalVolume: "0", groupVolume: "0", activeLegs: "0" }])}>Add rank</Button>
      </InlineStack>
    </BlockStack>
  );
}
