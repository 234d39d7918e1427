import { BlockStack, Card, Text } from "@shopify/polaris";
import type { InboxBacklog } from "~/services/inbox/backlog.server";

/** "3 min", "2 h 5 min": an age a merchant reads at a glance. */
export function formatAge(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} days`;
}

/** The inbox backlog: how many events the workers still owe, and how long the oldest one has waited. */
export function InboxBacklogCard({ backlog }: { backlog: InboxBacklog }) {
  const oldest = backlog.oldestPending;
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Inbox backlog
        </Text>
        <Text as="p" variant="headingLg">
          {backlog.waiting} waiting
        </Text>
        <Text as="p" tone={oldest && oldest.ageSeconds > 300 ? "critical" : "subdued"}>
          {oldest
            ? `Oldest pending: ${oldest.platform} ${oldest.topic}, received ${formatAge(oldest.ageSeconds)} ago (${oldest.receivedAt})`
            : "No event is waiting."}
        </Text>
      </BlockStack>
    </Card>
  );
}
