import { useMemo, useState } from "react";
import { BlockStack, Button, ButtonGroup, Card, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { COMPONENT_LABELS, COMPONENT_TYPES, newComponent, type BuilderComponentType } from "~/domain/plan-builder/component-templates";
import type { PlanDraft } from "~/domain/plan-builder/plan-draft";
import { ComponentCard } from "./component-card";
import { FieldErrorsContext } from "./field-errors";
import { PlanSettingsForm } from "./plan-settings-form";
import type { usePlanEditor } from "./use-plan-editor";

interface PlanBuilderProps {
  readonly editor: ReturnType<typeof usePlanEditor>;
  readonly issues: readonly { path: string; message: string }[];
  readonly currency: string;
  readonly classKeys: readonly string[];
}

/** The draft version: a form per component, or its JSON. Each field shows the schema's message for its path. */
export function PlanBuilder({ editor, issues, currency, classKeys }: PlanBuilderProps) {
  const errors = useMemo(() => {
    const map = new Map<string, string>();
    for (const issue of issues) if (!map.has(issue.path)) map.set(issue.path, issue.message);
    return map;
  }, [issues]);
  const [adding, setAdding] = useState<BuilderComponentType>("unilevel");
  const { draft, setDraft } = editor;
  const setComponents = (components: PlanDraft["components"]) => setDraft({ ...draft, components });

  return (
    <FieldErrorsContext.Provider value={errors}>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Draft version
          </Text>
          <ButtonGroup variant="segmented">
            <Button pressed={editor.mode === "form"} onClick={editor.showForm}>
              Form
            </Button>
            <Button pressed={editor.mode === "json"} onClick={editor.showJson}>
              JSON (advanced)
            </Button>
          </ButtonGroup>
        </InlineStack>
        {editor.mode === "json" ? (
          <TextField
            label="Rules (JSON)"
            name="rules"
            value={editor.jsonText}
            onChange={editor.setJsonText}
            error={editor.jsonError ?? errors.get("rules")}
            multiline={14}
            monospaced
            autoComplete="off"
          />
        ) : (
          <BlockStack gap="400">
            <PlanSettingsForm draft={draft} currency={currency} onChange={setDraft} />
            {draft.components.length === 0 ? (
              <Card>
                <Text as="p">No component yet: add a unilevel, binary, matrix, ranks or a bonus below to start the plan.</Text>
              </Card>
            ) : null}
            {draft.components.map((component, index) => (
              <ComponentCard
                key={index}
                index={index}
                component={component}
                currency={currency}
                classKeys={classKeys}
                onChange={(next) => setComponents(draft.components.map((current, at) => (at === index ? next : current)))}
                onRemove={() => setComponents(draft.components.filter((_, at) => at !== index))}
              />
            ))}
            <InlineStack gap="200" blockAlign="end">
              <Select
                label="Component type"
                options={COMPONENT_TYPES.map((type) => ({ label: COMPONENT_LABELS[type], value: type }))}
                value={adding}
                onChange={(value) => setAdding(value as BuilderComponentType)}
              />
              <Button onClick={() => setComponents([...draft.components, newComponent(adding, draft.components, classKeys[0] ?? "standard", currency)])}>
                Add component
              </Button>
            </InlineStack>
          </BlockStack>
        )}
      </BlockStack>
    </FieldErrorsContext.Provider>
  );
}
