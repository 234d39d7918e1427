import { List } from "@shopify/polaris";

/** Validation problems, each with the path of the field it concerns (`components[0].rates.standard[1]`). */
export function IssueList({ issues }: { issues: readonly { path: string; message: string }[] }) {
  return (
    <List>
      {issues.map((issue) => (
        <List.Item key={`${issue.path}:${issue.message}`}>
          <code>{issue.path}</code> {issue.message}
        </List.Item>
      ))}
    </List>
  );
}
