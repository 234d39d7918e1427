import { Badge } from "@shopify/polaris";

const TONES: Record<string, "success" | "critical" | "warning" | "info" | undefined> = {
  processed: "success",
  dead: "critical",
  rejected: "critical",
  failed: "warning",
  pending: "info",
  processing: "info",
};

const LABELS: Record<string, string> = {
  pending: "Waiting",
  processing: "Processing",
  processed: "Processed",
  failed: "Retrying",
  dead: "Failed",
  rejected: "Rejected",
  ignored: "Recorded only",
};

/** The inbox status in the words the dashboard uses. */
export function EventStatusBadge({ status }: { status: string }) {
  return <Badge tone={TONES[status]}>{LABELS[status] ?? status}</Badge>;
}
