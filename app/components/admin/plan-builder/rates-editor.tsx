import { BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import type { Entry, Json } from "~/domain/plan-builder/plan-draft";
import { componentPath } from "~/domain/plan-builder/plan-draft";
import { GroupError, list, PlanSelect, PlanTextField, record, text } from "./field-errors";

const KIND_OPTIONS = [
  { label: "Percent of the line", value: "percent" },
  { label: "Fixed per unit", value: "fixed_per_unit" },
  { label: "Fixed per order", value: "fixed_per_order" },
  { label: "Percent of another level's commission", value: "percent_of_commission" },
];

function freshRate(kind: string, currency: string): Json {
  switch (kind) {
    case "fixed_per_unit":
    case "fixed_per_order":
      return { kind, amountMinor: "", currency };
    case "percent_of_commission":
      return { kind, percent: "", of: "level_below" };
    default:
      return { kind: "percent", percent: "" };
  }
}

interface RatesEditorProps {
  readonly index: number;
  readonly rates: readonly Entry[];
  readonly currency: string;
  /** Class keys the shop has, offered first when a class is added. */
  readonly classKeys: readonly string[];
  readonly onChange: (rates: Entry[]) => void;
}

/** Rates per commission class and level: the `rates` record of unilevel, matrix and fast-start. */
export function RatesEditor({ index, rates, currency, classKeys, onChange }: RatesEditorProps) {
  const setEntry = (position: number, entry: Entry) => onChange(rates.map((current, at) => (at === position ? entry : current)));
  const unused = classKeys.find((key) => !rates.some((entry) => entry.key === key)) ?? "";
  return (
    <BlockStack gap="300">
      <Text as="h4" variant="headingSm">
        Rates per commission class
      </Text>
      <GroupError path={componentPath(index, "rates")} />
      {rates.length === 0 ? <Text as="p">No class is paid yet: add one.</Text> : null}
      {rates.map((entry, position) => {
        const levels = list(entry.value);
        const setLevels = (next: Json[]) => setEntry(position, { key: entry.key, value: next });
        return (
          <Card key={position} background="bg-surface-secondary">
            <BlockStack gap="200">
              <InlineStack gap="200" blockAlign="end" wrap={false}>
                <PlanTextField
                  label={`Class ${position + 1}`}
                  path={componentPath(index, "rates", entry.key)}
                  value={entry.key}
                  onChange={(key) => setEntry(position, { key, value: entry.value })}
                  helpText="A commission class key, such as standard"
                />
                <Button tone="critical" variant="plain" onClick={() => onChange(rates.filter((_, at) => at !== position))}>
                  Remove class
                </Button>
              </InlineStack>
              {levels.map((raw, level) => {
                const rate = record(raw);
                const kind = text(rate.kind);
                const at = (field: string) => componentPath(index, "rates", entry.key, level, field);
                const setRate = (next: Json) => setLevels(levels.map((current, l) => (l === level ? next : current)));
                const name = `${entry.key || `Class ${position + 1}`}, level ${level + 1}`;
                return (
                  <InlineStack key={level} gap="200" blockAlign="start" wrap={false}>
                    <PlanSelect
                      label={`${name} kind`}
                      path={at("kind")}
                      value={kind}
                      options={KIND_OPTIONS}
                      onChange={(next) => setRate(freshRate(next, currency))}
                    />
                    {kind === "percent" || kind === "percent_of_commission" ? (
                      <PlanTextField
                        label={`${name} (%)`}
                        path={at("percent")}
                        value={text(rate.percent)}
                        onChange={(percent) => setRate({ ...rate, percent })}
                        suffix="%"
                      />
                    ) : null}
                    {kind === "percent_of_commission" ? (
                      <PlanSelect
                        label="Of"
                        path={at("of")}
                        value={text(rate.of)}
                        options={[
                          { label: "The level below", value: "level_below" },
                          { label: "Level 1", value: "level_1" },
                        ]}
                        onChange={(of) => setRate({ ...rate, of })}
                      />
                    ) : null}
                    {kind === "fixed_per_unit" || kind === "fixed_per_order" ? (
                      <>
                        <PlanTextField
                          label={`${name} amount (minor units)`}
                          path={at("amountMinor")}
                          value={text(rate.amountMinor)}
                          onChange={(amountMinor) => setRate({ ...rate, amountMinor })}
                        />
                        <PlanTextField
                          label="Currency"
                          path={at("currency")}
                          value={text(rate.currency)}
                          onChange={(next) => setRate({ ...rate, currency: next })}
                        />
                      </>
                    ) : null}
                  </InlineStack>
                );
              })}
              <GroupError path={componentPath(index, "rates", entry.key)} />
              <InlineStack gap="200">
                <Button onClick={() => setLevels([...levels, freshRate("percent", currency)])}>{`Add level to ${entry.key || `class ${position + 1}`}`}</Button>
                {levels.length > 0 ? <Button onClick={() => setLevels(levels.slice(0, -1))}>Remove last level</Button> : null}
              </InlineStack>
            </BlockStack>
          </Card>
        );
      })}
      <InlineStack>
        <Button onClick={() => onChange([...rates, { key: unused, value: [freshRate("percent", currency)] }])}>Add class</Button>
      </InlineStack>
    </BlockStack>
  );
}
