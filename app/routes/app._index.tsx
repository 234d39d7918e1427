import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { db } from "~/db.server";
import { requireShop } from "~/services/admin/require-shop.server";
import { dashboardSummary } from "~/services/dashboard.server";
import { InboxBacklogCard } from "~/components/admin/inbox-backlog-card";
import { OnboardingCard } from "~/components/admin/onboarding-card";
import { shopOnboarding, themeEmbedDeepLink } from "~/services/admin/onboarding.server";
import { config } from "~/config.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  const [summary, onboarding] = await Promise.all([dashboardSummary(db(), shop.id), shopOnboarding(db(), shop.id)]);
  return { ...summary, onboarding, onboardingLinks: onboardingLinks(shop.domain) };
};

function onboardingLinks(shopDomain: string) {
  return {
    plan: "/app/plans",
    classes: "/app/catalog",
    theme_embed: themeEmbedDeepLink(shopDomain, config().SHOPIFY_API_KEY),
    first_affiliate: "/app/distributors",
    payouts: "/app/payouts",
  };
}

const STATUS_LABELS: Record<string, string> = {
  pending: "Waiting",
  processing: "Processing",
  processed: "Processed",
  failed: "Retrying",
  dead: "Failed",
  rejected: "Rejected",
  ignored: "Recorded only",
};

const CURRENCY_SOURCES: Record<string, string> = {
  shopify: "from Shopify's shop data",
  connection: "from a connected store",
  first_order: "from the first order",
};

export default function Dashboard() {
  const summary = useLoaderData<typeof loader>();
  return (
    <Page>
      <TitleBar title="Upline" />
      <Layout>
        {!summary.onboarding.complete && (
          <Layout.Section>
            <OnboardingCard checklist={summary.onboarding} links={summary.onboardingLinks} />
          </Layout.Section>
        )}
        {(summary.currencyErrors.orders > 0 || summary.currencyErrors.periodCloses > 0) && (
          <Layout.Section>
            <Banner tone="critical" title="Money was not paid: amounts in another currency were skipped">
              <Text as="p">
                {summary.currencyErrors.orders} orders and {summary.currencyErrors.periodCloses} period closes skipped plan amounts not in {summary.currency}.
                Fix the currencies in the plan (or of the shop) and re-open the affected periods.
              </Text>
            </Banner>
          </Layout.Section>
        )}
        {summary.unbalancedDays.length > 0 && (
          <Layout.Section>
            <Banner tone="warning" title="Reconciliation found days that do not balance">
              <BlockStack gap="100">
                {summary.unbalancedDays.map((day) => (
                  <Text as="p" key={day.day}>
                    {day.day}: {day.reasons.join("; ") || "see GET /api/v1/reconciliation"}
                    {day.deltas.length > 0 ? ` (delta ${day.deltas.join(", ")})` : ""}
                  </Text>
                ))}
              </BlockStack>
            </Banner>
          </Layout.Section>
        )}
        {summary.planCurrencyMismatches.length > 0 && (
          <Layout.Section>
            <Banner tone="critical" title={`Plan amounts in another currency than the shop's ${summary.currency} are not paid`}>
              <BlockStack gap="100">
                {summary.planCurrencyMismatches.map((mismatch) => (
                  <Text as="p" key={mismatch.path}>
                    {mismatch.path}: {mismatch.currency}
                  </Text>
                ))}
              </BlockStack>
            </Banner>
          </Layout.Section>
        )}
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
          <InboxBacklogCard backlog={summary.inbox} />
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Store connections
              </Text>
              <Text as="p">{summary.connections} WooCommerce / Magento stores connected</Text>
              <Text as="p">
                Shop currency: {summary.currency} ({CURRENCY_SOURCES[summary.currencySource ?? ""] ?? "default, until the first order or Shopify's shop data"})
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
