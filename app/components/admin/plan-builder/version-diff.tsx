import { useState } from "react";
import { BlockStack, DataTable, InlineStack, Select, Text } from "@shopify/polaris";
import { diffPlans } from "~/domain/plan-builder/plan-diff";

interface VersionDiffProps {
  readonly versions: readonly { readonly version: number; readonly rulesText: string }[];
  readonly draftText: string;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** What changed between two versions (or a version and the draft), field by field. */
export function VersionDiff({ versions, draftText }: VersionDiffProps) {
  const options = [
    { label: "This draft", value: "draft" },
    ...versions.map((version) => ({ label: `Version ${version.version}`, value: String(version.version) })),
  ];
  const [from, setFrom] = useState(versions[0] ? String(versions[0].version) : "draft");
  const [to, setTo] = useState("draft");
  const textOf = (choice: string) => (choice === "draft" ? draftText : (versions.find((version) => String(version.version) === choice)?.rulesText ?? "null"));
  const changes = diffPlans(parsed(textOf(from)), parsed(textOf(to)));
  return (
    <BlockStack gap="300">
      <Text as="h2" variant="headingMd">
        Compare versions
      </Text>
      <InlineStack gap="200">
        <Select label="From" options={options} value={from} onChange={setFrom} />
        <Select label="To" options={options} value={to} onChange={setTo} />
      </InlineStack>
      {changes.length === 0 ? (
        <Text as="p">No difference.</Text>
      ) : (
        <DataTable
          columnContentTypes={["text", "text", "text", "text"]}
          headings={["Field", "Change", "Before", "After"]}
          rows={changes.map((change) => [change.path, change.kind, change.before ?? "", change.after ?? ""])}
        />
      )}
    </BlockStack>
  );
}
