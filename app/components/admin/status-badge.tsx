import { Badge } from "@shopify/polaris";

const TONES = { active: "success", inactive: "attention", terminated: "critical" } as const;

/** A distributor's status (active / inactive / terminated) as a Polaris badge. */
export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={TONES[status as keyof typeof TONES]}>{status}</Badge>;
}
