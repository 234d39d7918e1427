import { useState } from "react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  InlineStack,
  Layout,
  Page,
  Select,
  SkeletonBodyText,
  Tabs,
  Text,
  TextField,
} from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { db } from "~/db.server";
import { requireShop } from "~/services/admin/require-shop.server";
import { ledgerExplorer } from "~/services/admin/ledger-page.server";
import type { LedgerKind } from "~/services/admin/ledger.server";

// The client bundle may not import a .server module's values: the kinds, typed against the service's list.
const LEDGER_KINDS: readonly LedgerKind[] = [
  "commission",
  "commission_reversal",
  "hold_release",
  "period_commission",
  "period_correction",
  "payout",
  "payout_settlement",
  "payout_reversal",
];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  return ledgerExplorer(db(), shop.id, new URL(request.url).searchParams);
};

const FILTER_KEYS = ["distributor", "order", "kind", "from", "to"] as const;
const EMBED_KEYS_EXCLUDED = new Set<string>([...FILTER_KEYS, "after", "tab", "day", "before", "unbalanced"]);

export default function Ledger() {
  const data = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const [fields, setFields] = useState<Record<string, string>>(() => Object.fromEntries(FILTER_KEYS.map((key) => [key, params.get(key) ?? ""])));
  const embedding = [...params].filter(([key]) => !EMBED_KEYS_EXCLUDED.has(key));
  const withParams = (path: string, extra: Record<string, string> = {}) => {
    const query = new URLSearchParams(embedding);
    for (const [key, value] of Object.entries(extra)) if (value) query.set(key, value);
    return `${path}?${query.toString()}`;
  };
  const filterQuery = Object.fromEntries(FILTER_KEYS.map((key) => [key, params.get(key) ?? ""]));
  const tab = data.tab;
  const loading = navigation.state === "loading";

  return (
    <Page title="Ledger">
      <TitleBar title="Ledger" />
      <Layout>
        <Layout.Section>
          <Tabs
            tabs={[
              { id: "postings", content: "Postings", url: withParams("/app/ledger") },
              { id: "reconciliation", content: "Reconciliation days", url: withParams("/app/ledger", { tab: "reconciliation" }) },
            ]}
            selected={tab === "reconciliation" ? 1 : 0}
          />
        </Layout.Section>
        {data.tab === "postings" ? (
          <>
            <Layout.Section>
              <Card>
                <Form method="get">
                  {embedding.map(([key, value]) => (
                    <input key={key} type="hidden" name={key} value={value} />
                  ))}
                  <BlockStack gap="300">
                    <InlineStack gap="300" wrap blockAlign="start">
                      <TextField
                        label="Distributor (code)"
                        name="distributor"
                        value={fields.distributor}
                        onChange={(value) => setFields({ ...fields, distributor: value })}
                        autoComplete="off"
                        error={data.errors.distributor}
                      />
                      <TextField
                        label="Order (number)"
                        name="order"
                        value={fields.order}
                        onChange={(value) => setFields({ ...fields, order: value })}
                        autoComplete="off"
                        error={data.errors.order}
                      />
                      <Select
                        label="Kind"
                        name="kind"
                        options={[{ label: "All kinds", value: "" }, ...LEDGER_KINDS.map((kind) => ({ label: kind.replaceAll("_", " "), value: kind }))]}
                        value={fields.kind}
                        onChange={(value) => setFields({ ...fields, kind: value })}
                        error={data.errors.kind}
                      />
                      <TextField
                        label="From (UTC day)"
                        name="from"
                        type="date"
                        value={fields.from}
                        onChange={(value) => setFields({ ...fields, from: value })}
                        autoComplete="off"
                        error={data.errors.from}
                      />
                      <TextField
                        label="To (UTC day)"
                        name="to"
                        type="date"
                        value={fields.to}
                        onChange={(value) => setFields({ ...fields, to: value })}
                        autoComplete="off"
                        error={data.errors.to}
                      />
                    </InlineStack>
                    <InlineStack gap="200">
                      <Button submit variant="primary" loading={navigation.state === "loading" && navigation.formMethod === "GET"}>
                        Filter
                      </Button>
                      <Button url={withParams("/app/ledger")}>Clear</Button>
                      {data.errors && Object.keys(data.errors).length === 0 ? (
                        <Button url={withParams("/app/ledger/export.csv", filterQuery)} download>
                          Export CSV
                        </Button>
                      ) : null}
                    </InlineStack>
                  </BlockStack>
                </Form>
              </Card>
            </Layout.Section>
            <Layout.Section>
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Totals by account
                  </Text>
                  {data.totals === null ? (
                    <Text as="p">More than 20,000 postings match: narrow the filter (a distributor, an order, a kind or fewer days) to see totals.</Text>
                  ) : data.totals.length === 0 ? (
                    <Text as="p">Nothing to total.</Text>
                  ) : (
                    <DataTable
                      columnContentTypes={["text", "numeric", "numeric"]}
                      headings={["Account", "Postings", "Net (debit +, credit −)"]}
                      rows={data.totals.map((total) => [total.accountKind.replaceAll("_", " "), total.postings, `${total.amount} ${total.currency}`])}
                    />
                  )}
                </BlockStack>
              </Card>
            </Layout.Section>
            <Layout.Section>
              <Card>
                {loading ? (
                  <SkeletonBodyText lines={8} />
                ) : data.rows.length === 0 ? (
                  <BlockStack gap="200">
                    <Text as="p">
                      {data.unknown
                        ? `No ${data.unknown} "${params.get(data.unknown)}" in this shop.`
                        : Object.values(filterQuery).some(Boolean)
                          ? "No postings match this filter. Clear it or widen the dates."
                          : "No ledger postings yet. They appear as soon as a paid order is attributed to a distributor under a published plan."}
                    </Text>
                  </BlockStack>
                ) : (
                  <BlockStack gap="300">
                    <DataTable
                      columnContentTypes={["text", "text", "text", "text", "text", "numeric"]}
                      headings={["Occurred (UTC)", "Kind", "Account", "Distributor", "Order", "Amount"]}
                      rows={data.rows.map((row) => [
                        row.occurredAt.slice(0, 16).replace("T", " "),
                        row.kind.replaceAll("_", " "),
                        row.accountKind.replaceAll("_", " "),
                        row.distributorId ? (
                          <Link key="d" to={withParams(`/app/distributors/${row.distributorId}`)}>
                            {row.distributorCode}
                          </Link>
                        ) : (
                          ""
                        ),
                        row.orderNumber ?? "",
                        `${row.amount} ${row.currency}`,
                      ])}
                    />
                    {data.next ? (
                      <InlineStack>
                        <Button url={withParams("/app/ledger", { ...filterQuery, after: data.next })}>Older postings</Button>
                      </InlineStack>
                    ) : null}
                  </BlockStack>
                )}
              </Card>
            </Layout.Section>
          </>
        ) : (
          <Layout.Section>
            <BlockStack gap="400">
              {data.detail ? (
                <Card>
                  <BlockStack gap="200">
                    <InlineStack gap="200" blockAlign="center">
                      <Text as="h2" variant="headingMd">
                        {`Reconciliation of ${data.detail.date}`}
                      </Text>
                      {data.detail.balanced ? <Badge tone="success">Balanced</Badge> : <Badge tone="critical">Delta</Badge>}
                    </InlineStack>
                    <Text as="p">{`${data.detail.orders_compared} orders compared.`}</Text>
                    {data.detail.totals.map((total) => (
                      <Text as="p" key={total.currency}>
                        {`${total.currency}: expected ${total.expected.amount}, ledger ${total.ledger.amount}, delta ${total.delta.amount}`}
                      </Text>
                    ))}
                    {data.detail.items.length === 0 ? (
                      <Text as="p">Every order of the day matches the ledger.</Text>
                    ) : (
                      <DataTable
                        columnContentTypes={["text", "text", "numeric", "numeric", "numeric"]}
                        headings={["Order", "Finding", "Expected", "Ledger", "Delta"]}
                        rows={data.detail.items.map((item) => [
                          <Link key="o" to={withParams("/app/ledger", { order: item.order_id })}>
                            {item.order_id.slice(0, 8)}
                          </Link>,
                          item.status.replaceAll("_", " "),
                          item.expected.amount,
                          item.ledger.amount,
                          item.delta.amount,
                        ])}
                      />
                    )}
                    {data.detail.refund_gaps.length > 0 ? <Banner tone="warning" title={`${data.detail.refund_gaps.length} refund gaps`} /> : null}
                    {data.detail.unevaluated_order_ids.length > 0 ? (
                      <Banner tone="warning" title={`${data.detail.unevaluated_order_ids.length} paid orders without a commission record`} />
                    ) : null}
                    <InlineStack>
                      <Button url={withParams("/app/ledger", { tab: "reconciliation" })}>Back to the days</Button>
                    </InlineStack>
                  </BlockStack>
                </Card>
              ) : null}
              <Card>
                {data.days.length === 0 ? (
                  <Text as="p">{"No reconciled days yet. The reconciliation job compares each day's orders with the ledger after the day ends."}</Text>
                ) : (
                  <BlockStack gap="300">
                    <DataTable
                      columnContentTypes={["text", "text", "numeric", "numeric", "text"]}
                      headings={["Day (UTC)", "Result", "Orders", "Findings", "Delta"]}
                      rows={data.days.map((day) => [
                        <Link key="day" to={withParams("/app/ledger", { tab: "reconciliation", day: day.day })}>
                          {day.day}
                        </Link>,
                        day.balanced ? "Balanced" : "Not balanced",
                        day.ordersCompared,
                        day.findings,
                        day.deltas.map((delta) => `${delta.delta} ${delta.currency}`).join(", "),
                      ])}
                    />
                    {data.nextBefore ? (
                      <InlineStack>
                        <Button url={withParams("/app/ledger", { tab: "reconciliation", before: data.nextBefore })}>Earlier days</Button>
                      </InlineStack>
                    ) : null}
                  </BlockStack>
                )}
              </Card>
            </BlockStack>
          </Layout.Section>
        )}
      </Layout>
    </Page>
  );
}
