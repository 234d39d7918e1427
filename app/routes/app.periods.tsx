import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { db } from "~/db.server";
import { requireShop } from "~/services/admin/require-shop.server";
import { periodAction, periodsOverview, type PeriodRowView } from "~/services/admin/periods.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  return periodsOverview(db(), shop.id);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, session } = await requireShop(request);
  return periodAction(db(), shop.id, await request.formData(), `admin:${session.shop}`);
};

const STATUS_TONES = { open: "info", closed: "success", reopened: "attention" } as const;

function ReopenForm({ period }: { period: PeriodRowView }) {
  const [reason, setReason] = useState("");
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="reopen" />
      <input type="hidden" name="periodId" value={period.id} />
      <InlineStack gap="200" blockAlign="end">
        <TextField
          label={`Reason to re-open ${period.key}`}
          labelHidden
          placeholder="Reason (required)"
          name="reason"
          value={reason}
          onChange={setReason}
          autoComplete="off"
        />
        <Button submit>Re-open</Button>
      </InlineStack>
    </Form>
  );
}

function PeriodActions({ period }: { period: PeriodRowView }) {
  if (period.status === "closed") return <ReopenForm period={period} />;
  if (!period.ended)
    return (
      <Text as="span" tone="subdued">
        Runs until {period.endsAt.slice(0, 10)}
      </Text>
    );
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="close" />
      <input type="hidden" name="periodId" value={period.id} />
      <Button submit variant="primary" accessibilityLabel={`Close ${period.key}`}>
        Close
      </Button>
    </Form>
  );
}

export default function Periods() {
  const { periods } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  return (
    <Page>
      <TitleBar title="Commission periods" />
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="p" tone="subdued">
                Closing a period pays its binary pairs, ranks, matching and rank bonuses. A period closes once, oldest first; closing again posts nothing.
                Re-opening is recorded with its reason, and the next close posts only corrections.
              </Text>
              {result?.ok === true ? <Banner tone="success" title={result.message} /> : null}
              {result?.ok === false ? <Banner tone="critical" title={result.error} /> : null}
              {navigation.state === "submitting" ? <Text as="p">Working…</Text> : null}
              {periods.length === 0 ? (
                <Text as="p">No periods: the plan in force has no period schedule (weekly or monthly).</Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text", "text", "numeric", "text"]}
                  headings={["Period", "Dates (UTC)", "Status", "Paid", "Lines", ""]}
                  rows={periods.map((period) => [
                    period.key,
                    `${period.startsAt.slice(0, 10)} – ${period.endsAt.slice(0, 10)}`,
                    <Badge key="status" tone={STATUS_TONES[period.status]}>
                      {period.revision > 1 ? `${period.status} (revision ${period.revision})` : period.status}
                    </Badge>,
                    period.paid ?? "",
                    period.lines ?? "",
                    <PeriodActions key="actions" period={period} />,
                  ])}
                />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
