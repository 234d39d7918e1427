import { TextField } from "@shopify/polaris";

/** "Effective from" for genealogy changes: a UTC date and time, empty for now (the form service reads it so). */
export function EffectiveFromField({ value, onChange, error }: { value: string; onChange: (value: string) => void; error?: string }) {
  return (
    <TextField
      label="Effective from (UTC)"
      name="effectiveFrom"
      type="datetime-local"
      value={value}
      onChange={onChange}
      error={error}
      helpText="Empty: now"
      autoComplete="off"
    />
  );
}
