import { BlockStack, FormLayout } from "@shopify/polaris";
import { componentPath, type Entry } from "~/domain/plan-builder/plan-draft";
import { COMPRESSION_OPTIONS, PlanSelect, PlanTextField, text } from "./field-errors";
import { RatesEditor } from "./rates-editor";
import type { ComponentFormProps } from "./types";

function entries(value: unknown): Entry[] {
  return Array.isArray(value) ? (value as Entry[]) : [];
}

/** The fields unilevel, matrix and fast-start share: id, compression, and rates per class and level. */
function RatesComponentForm({ index, component, onChange, currency, classKeys, children }: ComponentFormProps & { readonly children: React.ReactNode }) {
  const set = (key: string, value: string) => onChange({ ...component, [key]: value });
  return (
    <BlockStack gap="300">
      <FormLayout>
        <FormLayout.Group condensed>
          <PlanTextField label="Rule id" path={componentPath(index, "id")} value={text(component.id as string)} onChange={(value) => set("id", value)} />
          {children}
          <PlanSelect
            label="Compression"
            path={componentPath(index, "compression")}
            value={text(component.compression as string)}
            options={COMPRESSION_OPTIONS}
            onChange={(value) => set("compression", value)}
          />
        </FormLayout.Group>
      </FormLayout>
      <RatesEditor
        index={index}
        rates={entries(component.rates)}
        currency={currency}
        classKeys={classKeys}
        onChange={(rates) => onChange({ ...component, rates })}
      />
    </BlockStack>
  );
}

export function UnilevelForm(props: ComponentFormProps) {
  const { index, component, onChange } = props;
  return (
    <RatesComponentForm {...props}>
      <PlanTextField
        label="Levels paid"
        path={componentPath(index, "maxDepth")}
        value={text(component.maxDepth as string)}
        onChange={(maxDepth) => onChange({ ...component, maxDepth })}
      />
    </RatesComponentForm>
  );
}

export function MatrixForm(props: ComponentFormProps) {
  const { index, component, onChange } = props;
  return (
    <RatesComponentForm {...props}>
      <PlanTextField
        label="Width"
        path={componentPath(index, "width")}
        value={text(component.width as string)}
        onChange={(width) => onChange({ ...component, width })}
      />
      <PlanTextField
        label="Depth"
        path={componentPath(index, "depth")}
        value={text(component.depth as string)}
        onChange={(depth) => onChange({ ...component, depth })}
      />
    </RatesComponentForm>
  );
}

export function FastStartForm(props: ComponentFormProps) {
  const { index, component, onChange } = props;
  return (
    <RatesComponentForm {...props}>
      <PlanTextField
        label="Window (days after enrollment)"
        path={componentPath(index, "windowDays")}
        value={text(component.windowDays as string)}
        onChange={(windowDays) => onChange({ ...component, windowDays })}
      />
    </RatesComponentForm>
  );
}
