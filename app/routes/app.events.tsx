import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, Page, Tabs, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { z } from "zod";
import { db } from "~/db.server";
import { config } from "~/config.server";
import { queues } from "~/queues.server";
import { requireShop } from "~/services/admin/require-shop.server";
import { listEvents, replayEvent, ReplayRefused } from "~/services/inbox/replay.server";

const TABS = [
  { id: "all", label: "All" },
  { id: "dead", label: "Failed" },
  { id: "failed", label: "Retrying" },
  { id: "rejected", label: "Rejected" },
] as const;

/** Not processed minutes after it arrived: its job was lost or its worker died (the server refuses a live claim). */
const STUCK_AFTER_MS = 5 * 60_000;
const replayable = (event: { status: string; receivedAt: string }) =>
  event.status === "dead" ||
  event.status === "failed" ||
  ((event.status === "pending" || event.status === "processing") && Date.now() - Date.parse(event.receivedAt) > STUCK_AFTER_MS);

const statusFilter = z.enum(["dead", "failed", "rejected"]).optional().catch(undefined);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  const status = statusFilter.parse(new URL(request.url).searchParams.get("status") ?? undefined);
  const events = await listEvents(db(), shop.id, { status });
  return { events: events.map((event) => ({ ...event, receivedAt: event.receivedAt.toISOString() })) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, session } = await requireShop(request);
  const eventId = z.uuid().safeParse((await request.formData()).get("eventId"));
  if (!eventId.success) return { error: "Unknown event." };
  try {
    await replayEvent(db(), queues(), shop.id, eventId.data, `admin:${session.id}`, config().JOB_ATTEMPTS);
    return { replayed: eventId.data };
  } catch (error) {
    if (error instanceof ReplayRefused) return { error: error.message };
    throw error;
  }
};

const TONES: Record<string, "success" | "critical" | "warning" | "info" | undefined> = {
  processed: "success",
  dead: "critical",
  rejected: "critical",
  failed: "warning",
  pending: "info",
};

export default function WebhookEvents() {
  const { events } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params, setParams] = useSearchParams();
  const selected = Math.max(
    0,
    TABS.findIndex((tab) => tab.id === (params.get("status") ?? "all")),
  );

  const rows = events.map((event) => [
    new Date(event.receivedAt).toLocaleString(),
    event.platform,
    event.topic,
    <Badge key="status" tone={TONES[event.status]}>
      {event.status}
    </Badge>,
    String(event.attempts),
    event.lastError ?? "",
    replayable(event) ? (
      <Form method="post" key="replay">
        <input type="hidden" name="eventId" value={event.id} />
        <Button submit size="slim" loading={navigation.formData?.get("eventId") === event.id}>
          Replay
        </Button>
      </Form>
    ) : null,
  ]);

  return (
    <Page>
      <TitleBar title="Webhook events" />
      <BlockStack gap="400">
        {result && "error" in result && <Banner tone="critical">{result.error}</Banner>}
        {result && "replayed" in result && <Banner tone="success">The event was queued again.</Banner>}
        <Card padding="0">
          <Tabs
            tabs={TABS.map((tab) => ({ id: tab.id, content: tab.label }))}
            selected={selected}
            onSelect={(index) => setParams(TABS[index]!.id === "all" ? {} : { status: TABS[index]!.id })}
          >
            {rows.length === 0 ? (
              <div style={{ padding: "1rem" }}>
                <Text as="p" tone="subdued">
                  No events here.
                </Text>
              </div>
            ) : (
              <DataTable
                columnContentTypes={["text", "text", "text", "text", "numeric", "text", "text"]}
                headings={["Received", "Platform", "Topic", "Status", "Attempts", "Last error", ""]}
                rows={rows}
              />
            )}
          </Tabs>
        </Card>
      </BlockStack>
    </Page>
  );
}
