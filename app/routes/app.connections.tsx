import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  DataTable,
  EmptyState,
  FormLayout,
  InlineStack,
  Layout,
  List,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { config } from "~/config.server";
import { db } from "~/db.server";
import { requireShop } from "~/services/admin/require-shop.server";
import { connectionAction, connectionsOverview } from "~/services/admin/connections.server";
import { SETUP_STEPS } from "~/components/admin/connection-setup-steps";

/** The app's public address (what stores must call), else the address this request reached. */
const originOf = (request: Request) => config().SHOPIFY_APP_URL ?? new URL(request.url).origin;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  return connectionsOverview(db(), shop.id, originOf(request));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, session } = await requireShop(request);
  return connectionAction(db(), shop.id, await request.formData(), `admin:${session.shop}`);
};

/** How often the page re-reads the deliveries while a test delivery is being processed. */
const POLL_MS = 1_000;
const PLATFORM_NAMES = { woocommerce: "WooCommerce", magento: "Magento" } as const;
const STATUS_TONES: Record<string, "success" | "critical" | "attention" | undefined> = {
  processed: "success",
  ignored: undefined,
  failed: "critical",
  dead: "critical",
  rejected: "critical",
  pending: "attention",
  processing: "attention",
};

function IntentButton({ intent, connectionId, label, name, tone }: { intent: string; connectionId: string; label: string; name: string; tone?: "critical" }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === intent && navigation.formData?.get("connectionId") === connectionId;
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="connectionId" value={connectionId} />
      <Button submit loading={busy} tone={tone} accessibilityLabel={`${label} ${name}`}>
        {label}
      </Button>
    </Form>
  );
}

function CreateForm() {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const failed = result?.ok === false && result.values?.intent === "create" ? result : null;
  const [platform, setPlatform] = useState(failed?.values?.platform ?? "woocommerce");
  const [name, setName] = useState(failed?.values?.name ?? "");
  const [baseUrl, setBaseUrl] = useState(failed?.values?.baseUrl ?? "");
  const errors = failed?.fieldErrors ?? {};
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="create" />
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Connect a store
        </Text>
        <FormLayout>
          <Select
            label="Platform"
            name="platform"
            options={[
              { label: "WooCommerce", value: "woocommerce" },
              { label: "Magento (Adobe Commerce)", value: "magento" },
            ]}
            value={platform}
            onChange={setPlatform}
            error={errors.platform}
          />
          <TextField label="Store name" name="name" value={name} onChange={setName} error={errors.name} autoComplete="off" />
          <TextField
            label="Store address"
            name="baseUrl"
            value={baseUrl}
            onChange={setBaseUrl}
            error={errors.baseUrl}
            placeholder="https://shop.example"
            helpText="Optional"
            autoComplete="off"
          />
        </FormLayout>
        <InlineStack>
          <Button submit variant="primary" loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "create"}>
            Connect store
          </Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}

export default function Connections() {
  const { connections } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const revalidator = useRevalidator();

  // A test delivery is processed by the worker a moment later: re-read until no delivery is waiting.
  const waiting = connections.some((c) => c.deliveries.some((d) => d.status === "pending" || d.status === "processing"));
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [waiting, revalidator]);

  return (
    <Page>
      <TitleBar title="Store connections" />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result?.ok === true ? (
              <Banner tone="success" title={result.message}>
                {result.secret ? (
                  <BlockStack gap="100">
                    <Text as="p">Webhook secret:</Text>
                    <Box padding="200" background="bg-surface-secondary" borderRadius="200">
                      <Text as="p" variant="bodyMd" fontWeight="semibold" breakWord>
                        <span data-testid="webhook-secret">{result.secret.value}</span>
                      </Text>
                    </Box>
                  </BlockStack>
                ) : null}
              </Banner>
            ) : null}
            {result?.ok === false ? <Banner tone="critical" title={result.error} /> : null}
            {connections.length === 0 ? (
              <Card>
                <EmptyState heading="No WooCommerce or Magento store is connected" image="">
                  <p>Connect a store with the form: Upline makes its ingest URL and secret and shows the steps to paste them into the store.</p>
                </EmptyState>
              </Card>
            ) : null}
            {connections.map((c) => (
              <Card key={c.id}>
                <BlockStack gap="300">
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="h2" variant="headingMd">
                      {c.name}
                    </Text>
                    <Badge>{PLATFORM_NAMES[c.platform]}</Badge>
                    <Badge tone={c.status === "active" ? "success" : undefined}>{c.status}</Badge>
                  </InlineStack>
                  <BlockStack gap="100">
                    <Text as="p" variant="headingSm">
                      Ingest URL
                    </Text>
                    <Text as="p" breakWord>
                      <code>{c.ingestUrl}</code>
                    </Text>
                  </BlockStack>
                  {c.previousSecretUntil ? (
                    <Text as="p" tone="caution">
                      The previous secret is still accepted until {c.previousSecretUntil.slice(0, 16).replace("T", " ")} UTC.
                    </Text>
                  ) : null}
                  <BlockStack gap="100">
                    <Text as="p" variant="headingSm">
                      Setup in {PLATFORM_NAMES[c.platform]}
                    </Text>
                    <List type="number">
                      {SETUP_STEPS[c.platform].map((step) => (
                        <List.Item key={step}>{step}</List.Item>
                      ))}
                    </List>
                  </BlockStack>
                  <Text as="p">
                    <Text as="span" fontWeight="semibold">
                      Backfill:{" "}
                    </Text>
                    {c.backfill}
                  </Text>
                  <InlineStack gap="200">
                    <IntentButton intent="test" connectionId={c.id} label="Send test delivery" name={c.name} />
                    <IntentButton intent="rotate" connectionId={c.id} label="Rotate secret" name={c.name} />
                    {c.status === "active" ? (
                      <IntentButton intent="disable" connectionId={c.id} label="Disable" name={c.name} tone="critical" />
                    ) : (
                      <IntentButton intent="enable" connectionId={c.id} label="Enable" name={c.name} />
                    )}
                  </InlineStack>
                  <Text as="h3" variant="headingSm">
                    Last deliveries
                  </Text>
                  {c.deliveries.length === 0 ? (
                    <Text as="p" tone="subdued">
                      Nothing has arrived yet. Send a test delivery, or save an order in the store.
                    </Text>
                  ) : (
                    <DataTable
                      columnContentTypes={["text", "text", "text", "text"]}
                      headings={["Received (UTC)", "Topic", "Status", "Error"]}
                      rows={c.deliveries.map((d) => [
                        d.receivedAt.slice(0, 19).replace("T", " "),
                        d.topic,
                        <Badge key="status" tone={STATUS_TONES[d.status]}>
                          {d.status}
                        </Badge>,
                        d.lastError ?? "",
                      ])}
                    />
                  )}
                </BlockStack>
              </Card>
            ))}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <CreateForm />
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
