import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { db } from "~/db.server";
import { requireShop } from "~/services/admin/require-shop.server";
import { dashboardSummary } from "~/services/dashboard.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  return dashboardSummary(db(), shop.id);
};

const STATUS_LABELS: Record<string, string> = {
  pending: "Waiting",
  processing: "Processing",
  processed: "Processed",
  failed: "Retrying",
  dead: "Failed",
  rejected: "Rejected",
  ignored: "Recorded only",
};

export default function Dashboard() {
  const summary = useLoaderData<typeof loader>();
  return (
    <Page>
      <TitleBar title="Upline" />
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Webhook events for {summary.shopDomain}
              </Text>
              <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
                {Object.entries(STATUS_LABELS).map(([status, label]) => (
                  <BlockStack key={status} gap="100">
                    <Text as="span" tone="subdued">
                      {label}
                    </Text>
                    <Text as="span" variant="headingLg">
                      {summary.eventsByStatus[status] ?? 0}
                    </Text>
                  </BlockStack>
                ))}
              </InlineGrid>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Store connections
              </Text>
              <Text as="p">{summary.connections} WooCommerce / Magento stores connected</Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
