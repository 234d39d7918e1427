import { BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { COMPONENT_LABELS, type BuilderComponentType } from "~/domain/plan-builder/component-templates";
import { componentPath } from "~/domain/plan-builder/plan-draft";
import { BinaryForm } from "./binary-form";
import { MatchingForm, RankAdvancementForm } from "./bonus-forms";
import { GroupError, text } from "./field-errors";
import { FastStartForm, MatrixForm, UnilevelForm } from "./per-order-forms";
import { RankForm } from "./rank-form";
import type { ComponentFormProps } from "./types";

const FORMS: Record<BuilderComponentType, (props: ComponentFormProps) => React.ReactNode> = {
  unilevel: UnilevelForm,
  matrix: MatrixForm,
  fast_start: FastStartForm,
  binary: BinaryForm,
  rank: RankForm,
  matching: MatchingForm,
  rank_advancement: RankAdvancementForm,
};

/** One component of the draft, with the form of its type (or a pointer to the JSON view for a type it has none). */
export function ComponentCard(props: ComponentFormProps & { readonly onRemove: () => void }) {
  const type = text(props.component.type as string);
  const Form = type in FORMS ? FORMS[type as BuilderComponentType] : null;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h3" variant="headingMd">
            {Form ? COMPONENT_LABELS[type as BuilderComponentType] : type || "Component"} ({text(props.component.id as string) || "no id"})
          </Text>
          <Button tone="critical" variant="plain" onClick={props.onRemove}>
            Remove component
          </Button>
        </InlineStack>
        <GroupError path={componentPath(props.index)} />
        <GroupError path={componentPath(props.index, "type")} />
        {Form ? <Form {...props} /> : <Text as="p">This component type has no form: edit it in the JSON view.</Text>}
      </BlockStack>
    </Card>
  );
}
