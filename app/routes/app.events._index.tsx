import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, IndexTable, InlineStack, Page, Select, Tabs, Text, TextField, useIndexResourceState } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { db } from "~/db.server";
import { config } from "~/config.server";
import { queues } from "~/queues.server";
import { requireShop } from "~/services/admin/require-shop.server";
import { eventListFromQuery, replayFromForm } from "~/services/admin/events.server";
import { EventStatusBadge } from "~/components/admin/event-status-badge";

const TABS = [
  { id: "all", label: "All" },
  { id: "dead", label: "Failed" },
  { id: "failed", label: "Retrying" },
  { id: "pending", label: "Waiting" },
  { id: "rejected", label: "Rejected" },
  { id: "processed", label: "Processed" },
] as const;

const PLATFORMS = [
  { label: "All platforms", value: "" },
  { label: "Shopify", value: "shopify" },
  { label: "WooCommerce", value: "woocommerce" },
  { label: "Magento", value: "magento" },
  { label: "REST API", value: "api" },
];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  return eventListFromQuery(db(), shop.id, new URL(request.url).searchParams);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, session } = await requireShop(request);
  return replayFromForm(db(), queues(), shop.id, await request.formData(), `admin:${session.id}`, config().JOB_ATTEMPTS);
};

export default function WebhookEvents() {
  const { events, nextBefore } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const [params, setParams] = useSearchParams();
  const [topic, setTopic] = useState(params.get("topic") ?? "");
  const selectedTab = Math.max(
    0,
    TABS.findIndex((tab) => tab.id === (params.get("status") ?? "all")),
  );
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(
    events.filter((event) => event.replayable).map((event) => ({ id: event.id })),
  );
  // Keeps the embedding parameters (shop, host, id_token) and the filters on links and forms inside the admin.
  const withParams = (path: string) => `${path}?${params.toString()}`;
  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    next.delete("before");
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };
  const replay = (ids: readonly string[]) => {
    const form = new FormData();
    for (const id of ids) form.append("eventId", id);
    submit(form, { method: "post" });
    clearSelection();
  };

  return (
    <Page title="Webhook events" subtitle="Every delivery the platforms sent, as received: filter, inspect and replay">
      <TitleBar title="Webhook events" />
      <BlockStack gap="400">
        {result && !result.ok && (
          <Banner tone="critical" title="Nothing was replayed">
            {result.error}
          </Banner>
        )}
        {result?.ok && (
          <Banner tone={result.refused.length > 0 ? "warning" : "success"} title={`${result.queued} ${result.queued === 1 ? "event" : "events"} queued again`}>
            {result.refused.length > 0 && (
              <BlockStack gap="100">
                <Text as="p">{result.refused.length} not replayed:</Text>
                {result.refused.map((refusal) => (
                  <Text as="p" key={refusal.id}>
                    {refusal.id.slice(0, 8)}: {refusal.reason}
                  </Text>
                ))}
              </BlockStack>
            )}
          </Banner>
        )}
        <Card padding="0">
          <Tabs
            tabs={TABS.map((tab) => ({ id: tab.id, content: tab.label }))}
            selected={selectedTab}
            onSelect={(index) => setFilter("status", TABS[index]!.id === "all" ? "" : TABS[index]!.id)}
          >
            <div style={{ padding: "var(--p-space-300)" }}>
              <Form method="get">
                {[...params]
                  .filter(([key]) => key !== "topic" && key !== "before")
                  .map(([key, value]) => (
                    <input key={key} type="hidden" name={key} value={value} />
                  ))}
                <InlineStack gap="200" blockAlign="end">
                  <Select label="Platform" options={PLATFORMS} value={params.get("platform") ?? ""} onChange={(value) => setFilter("platform", value)} />
                  <TextField label="Topic" name="topic" value={topic} onChange={setTopic} placeholder="orders/paid" autoComplete="off" />
                  <Button submit>Filter</Button>
                </InlineStack>
              </Form>
            </div>
            <IndexTable
              resourceName={{ singular: "event", plural: "events" }}
              itemCount={events.length}
              selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
              onSelectionChange={handleSelectionChange}
              promotedBulkActions={[{ content: "Replay selected", onAction: () => replay(selectedResources) }]}
              loading={navigation.state === "submitting"}
              emptyState={
                <div style={{ padding: "var(--p-space-400)" }}>
                  <Text as="p" tone="subdued">
                    {params.size > 0 ? "No event matches these filters." : "No event yet: deliveries appear here as soon as a store sends one."}
                  </Text>
                </div>
              }
              headings={[
                { title: "Received" },
                { title: "Platform" },
                { title: "Topic" },
                { title: "Status" },
                { title: "Attempts", alignment: "end" },
                { title: "Last error" },
                { title: "" },
              ]}
            >
              {events.map((event, index) => (
                <IndexTable.Row id={event.id} key={event.id} position={index} selected={selectedResources.includes(event.id)} disabled={!event.replayable}>
                  <IndexTable.Cell>
                    <Link to={withParams(`/app/events/${event.id}`)}>{new Date(event.receivedAt).toLocaleString()}</Link>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{event.platform}</IndexTable.Cell>
                  <IndexTable.Cell>{event.topic}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <EventStatusBadge status={event.status} />
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {event.attempts}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" tone="subdued" truncate>
                      {event.lastError?.split("\n")[0] ?? ""}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    {event.replayable ? (
                      <Button size="slim" onClick={() => replay([event.id])} accessibilityLabel={`Replay ${event.topic} of ${event.receivedAt}`}>
                        Replay
                      </Button>
                    ) : null}
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </Tabs>
        </Card>
        {nextBefore ? (
          <InlineStack align="end">
            <Link to={`?${new URLSearchParams({ ...Object.fromEntries(params), before: nextBefore })}`}>Older events</Link>
          </InlineStack>
        ) : null}
      </BlockStack>
    </Page>
  );
}
