import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { db } from "~/db.server";
import { config } from "~/config.server";
import { queues } from "~/queues.server";
import { formatMinor } from "~/domain/money";
import { requireShop } from "~/services/admin/require-shop.server";
import { presentEventBody, replayFromForm } from "~/services/admin/events.server";
import { eventDetail } from "~/services/inbox/replay.server";
import { EventStatusBadge } from "~/components/admin/event-status-badge";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  const detail = /^[0-9a-f-]{36}$/.test(params.id ?? "") ? await eventDetail(db(), shop.id, params.id!) : null;
  if (!detail) throw new Response("No such event in this shop", { status: 404 });
  const { event, order, replays, verdict } = detail;
  return {
    event: {
      id: event.id,
      platform: event.platform,
      topic: event.topic,
      eventKey: event.eventKey,
      status: event.status,
      attempts: event.attempts,
      lastError: event.lastError,
      receivedAt: event.receivedAt.toISOString(),
      processedAt: event.processedAt?.toISOString() ?? null,
      ...presentEventBody(event.headers, event.rawBody),
    },
    order: order && { ...order, total: formatMinor(order.totalMinor, order.currency), totalMinor: undefined },
    replays: replays.map((replay) => ({ actor: replay.actor, at: replay.createdAt.toISOString() })),
    verdict,
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, session } = await requireShop(request);
  return replayFromForm(db(), queues(), shop.id, await request.formData(), `admin:${session.id}`, config().JOB_ATTEMPTS);
};

export default function WebhookEvent() {
  const { event, order, replays, verdict } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const back = `/app/events?${new URLSearchParams([...params].filter(([key]) => ["shop", "host", "id_token", "embedded"].includes(key))).toString()}`;
  const fact = (label: string, value: React.ReactNode) => (
    <BlockStack gap="050">
      <Text as="span" tone="subdued">
        {label}
      </Text>
      <Text as="span">{value}</Text>
    </BlockStack>
  );

  return (
    <Page title={`${event.platform} ${event.topic}`} backAction={{ content: "Webhook events", url: back }}>
      <TitleBar title="Webhook event" />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result?.ok && result.queued > 0 && <Banner tone="success" title="Queued again: the page shows the outcome once a worker has run it." />}
            {result?.ok && result.refused.length > 0 && <Banner tone="warning" title={result.refused[0]!.reason} />}
            {result && !result.ok && <Banner tone="critical" title={result.error} />}
            {event.lastError && (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Error
                  </Text>
                  <Box background="bg-surface-secondary" padding="300" borderRadius="200">
                    <pre style={{ margin: 0, whiteSpace: "pre-wrap", wordBreak: "break-word", fontSize: 12 }}>{event.lastError}</pre>
                  </Box>
                </BlockStack>
              </Card>
            )}
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Body as received{event.truncated ? " (first 200,000 characters)" : ""}
                </Text>
                <Box background="bg-surface-secondary" padding="300" borderRadius="200">
                  <pre
                    data-testid="raw-body"
                    style={{ margin: 0, whiteSpace: "pre-wrap", wordBreak: "break-all", fontSize: 12, maxHeight: 480, overflow: "auto" }}
                  >
                    {event.body}
                  </pre>
                </Box>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Headers
                </Text>
                {event.headers.map((header) => (
                  <Text as="p" key={header.name}>
                    <Text as="span" fontWeight="semibold">
                      {header.name}
                    </Text>
                    : {header.value}
                  </Text>
                ))}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <InlineGrid columns={2} gap="300">
                  {fact("Status", <EventStatusBadge status={event.status} />)}
                  {fact("Attempts", event.attempts)}
                  {fact("Received", new Date(event.receivedAt).toLocaleString())}
                  {fact("Processed", event.processedAt ? new Date(event.processedAt).toLocaleString() : "not yet")}
                </InlineGrid>
                {fact("Delivery key", event.eventKey)}
                {verdict.replayable ? (
                  <Form method="post">
                    <input type="hidden" name="eventId" value={event.id} />
                    <Button submit variant="primary" loading={navigation.state === "submitting"}>
                      Replay
                    </Button>
                  </Form>
                ) : (
                  <Text as="p" tone="subdued">
                    {verdict.reason}
                  </Text>
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Order
                </Text>
                {order ? (
                  <BlockStack gap="100">
                    <Text as="p">
                      {order.orderNumber ? `#${order.orderNumber} · ` : ""}
                      {order.platformOrderId}
                    </Text>
                    <Text as="p">
                      {order.status}, {order.total}
                    </Text>
                    <Text as="p" tone="subdued">
                      {order.referralCode ? `Referral code ${order.referralCode}` : "No referral code"}
                    </Text>
                  </BlockStack>
                ) : (
                  <Text as="p" tone="subdued">
                    This event has not produced an order{event.status === "processed" ? " (it is not an order event)" : " yet"}.
                  </Text>
                )}
              </BlockStack>
            </Card>
            {replays.length > 0 && (
              <Card>
                <BlockStack gap="100">
                  <Text as="h2" variant="headingMd">
                    Replays
                  </Text>
                  {replays.map((replay) => (
                    <Text as="p" key={replay.at}>
                      {new Date(replay.at).toLocaleString()} by {replay.actor}
                    </Text>
                  ))}
                </BlockStack>
              </Card>
            )}
            <Link to={back}>All events</Link>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
