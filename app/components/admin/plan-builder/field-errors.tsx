import { createContext, useContext } from "react";
import { TextField, Select, InlineError } from "@shopify/polaris";
import type { Json } from "~/domain/plan-builder/plan-draft";

/** The plan schema's issues by path (`components[0].rates.standard[1].percent`), for each field to show its own. */
export const FieldErrorsContext = createContext<ReadonlyMap<string, string>>(new Map());

export function useFieldError(path: string): string | undefined {
  return useContext(FieldErrorsContext).get(path);
}

/** Text of a draft value for a field: numbers as typed digits, anything else not text as empty. */
export function text(value: Json | undefined): string {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : "";
}

export function record(value: unknown): { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as { [key: string]: Json }) : {};
}

export function list(value: unknown): Json[] {
  return Array.isArray(value) ? (value as Json[]) : [];
}

/** An object with `key` set, or left out when the field was emptied (the schema's optional fields). */
export function withOptional(object: { [key: string]: Json }, key: string, value: Json | undefined): { [key: string]: Json } {
  const { [key]: _dropped, ...rest } = object;
  return value === undefined || value === "" ? rest : { ...rest, [key]: value };
}

interface PlanFieldProps {
  readonly label: string;
  readonly path: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly helpText?: string;
  readonly suffix?: string;
}

/** A text field bound to one plan path: it shows the schema's message for that path next to itself. */
export function PlanTextField({ label, path, value, onChange, helpText, suffix }: PlanFieldProps) {
  const error = useFieldError(path);
  return <TextField label={label} value={value} onChange={onChange} error={error} helpText={helpText} suffix={suffix} autoComplete="off" />;
}

export function PlanSelect({
  label,
  path,
  value,
  options,
  onChange,
}: {
  readonly label: string;
  readonly path: string;
  readonly value: string;
  readonly options: readonly { label: string; value: string }[];
  readonly onChange: (value: string) => void;
}) {
  const error = useFieldError(path);
  const known = options.some((option) => option.value === value);
  // A value typed in the JSON view that is not an option stays selectable, so switching views never changes it.
  const all = known ? options : [...options, { label: value === "" ? "(none)" : value, value }];
  return <Select label={label} value={value} options={[...all]} onChange={onChange} error={error} />;
}

/** The schema's message for a whole group (e.g. `components[0].rates`), shown above its fields. */
export function GroupError({ path }: { readonly path: string }) {
  const error = useFieldError(path);
  return error ? <InlineError message={error} fieldID={path} /> : null;
}

export const COMPRESSION_OPTIONS = [
  { label: "Dynamic (skip inactive uplines)", value: "dynamic" },
  { label: "None (inactive uplines' levels are breakage)", value: "none" },
];

export const VOLUME_OPTIONS = [
  { label: "Personal volume (PV)", value: "pv" },
  { label: "Commissionable volume (CV)", value: "cv" },
];
