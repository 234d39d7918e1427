import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { db } from "~/db.server";
import { requireShop } from "~/services/admin/require-shop.server";
import { IssueList } from "~/components/admin/issue-list";
import { plansOverview, previewPlanFromForm, publishPlanFromForm } from "~/services/admin/plans.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  return plansOverview(db(), shop.id);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, session } = await requireShop(request);
  const form = await request.formData();
  if (form.get("intent") === "preview") return { intent: "preview" as const, ...(await previewPlanFromForm(db(), shop.id, String(form.get("rules") ?? ""))) };
  // datetime-local has no zone: the field is labelled UTC, so the value is read as UTC.
  const local = String(form.get("effectiveFrom") ?? "");
  const published = await publishPlanFromForm(
    db(),
    shop.id,
    { rulesText: String(form.get("rules") ?? ""), effectiveFrom: local === "" ? "" : `${local}Z` },
    `admin:${session.shop}`,
  );
  return { intent: "publish" as const, ...published };
};

const STATUS_BADGES = {
  in_force: <Badge tone="success">In force</Badge>,
  scheduled: <Badge tone="info">Scheduled</Badge>,
  superseded: <Badge>Superseded</Badge>,
} as const;

export default function Plans() {
  const { versions, classes, settings } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const result = actionData?.intent === "publish" ? actionData : undefined;
  const preview = actionData?.intent === "preview" ? actionData : undefined;
  const navigation = useNavigation();
  const submit = useSubmit();
  const latest = versions[0];
  const [rules, setRules] = useState(latest?.rulesText ?? STARTER_RULES);
  const [effectiveFrom, setEffectiveFrom] = useState(new Date().toISOString().slice(0, 16));

  return (
    <Page>
      <TitleBar title="Commission plans" />
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Plan versions
              </Text>
              <Text as="p" tone="subdued">
                An order is paid by the version in force at the time it was placed. Published versions never change: publish a new one to change the rules from
                a date on.
              </Text>
              {versions.length === 0 ? (
                <Text as="p">No plan yet: orders are recorded but earn nothing until a version is in force.</Text>
              ) : (
                <DataTable
                  columnContentTypes={["numeric", "text", "text", "text", "text"]}
                  headings={["Version", "Status", "In force from (UTC)", "Components", "Published by"]}
                  rows={versions.map((version) => [
                    version.version,
                    STATUS_BADGES[version.status],
                    version.effectiveFrom.replace("T", " ").slice(0, 16),
                    version.components.map((component) => `${component.type} (${component.id})`).join(", "),
                    version.publishedBy,
                  ])}
                />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <Form method="post">
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Publish a new version
                </Text>
                {result?.ok === true ? (
                  <Banner tone="success" title={`Version ${result.version} published`}>
                    {result.missingClasses.length > 0 ? <p>It pays on classes this shop does not have yet: {result.missingClasses.join(", ")}.</p> : null}
                  </Banner>
                ) : null}
                {result?.ok === false ? (
                  <Banner tone="critical" title="The version was not published">
                    <IssueList issues={result.issues} />
                  </Banner>
                ) : null}
                <TextField label="Rules (JSON)" name="rules" value={rules} onChange={setRules} multiline={14} monospaced autoComplete="off" />
                <TextField
                  label="In force from (UTC)"
                  name="effectiveFrom"
                  type="datetime-local"
                  value={effectiveFrom}
                  onChange={setEffectiveFrom}
                  autoComplete="off"
                />
                {preview?.ok === true ? (
                  <Banner tone="info" title={`Preview on the last ${preview.orders} orders`}>
                    <p>
                      This draft would pay {preview.draft} {preview.currency} per order in total; the plans in force paid {preview.inForce} {preview.currency}.
                      Nothing was written.
                    </p>
                  </Banner>
                ) : null}
                {preview?.ok === false ? (
                  <Banner tone="warning" title="No preview">
                    <IssueList issues={preview.issues} />
                  </Banner>
                ) : null}
                <InlineStack gap="200">
                  <Button submit variant="primary" loading={navigation.state === "submitting" && navigation.formData?.get("intent") !== "preview"}>
                    Publish version
                  </Button>
                  <Button
                    onClick={() => submit({ intent: "preview", rules }, { method: "post" })}
                    loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "preview"}
                  >
                    Preview on recent orders
                  </Button>
                </InlineStack>
              </BlockStack>
            </Form>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Commission classes
              </Text>
              {classes.length === 0 ? (
                <Text as="p">No classes yet: every line would go unmapped.</Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "numeric"]}
                  headings={["Class", "Name", "SKUs mapped"]}
                  rows={classes.map((commissionClass) => [
                    commissionClass.isDefault ? `${commissionClass.key} (default)` : commissionClass.key,
                    commissionClass.name,
                    commissionClass.mappings,
                  ])}
                />
              )}
              <Text as="p" tone="subdued">
                Commission base: net line amount after discounts
                {settings.includeShipping ? ", plus its share of shipping" : ""}
                {settings.includeTax ? ", plus tax" : ", without tax"}. Earnings stay pending for {settings.refundWindowDays} days.
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

const STARTER_RULES = JSON.stringify(
  {
    schemaVersion: 1,
    components: [
      {
        type: "unilevel",
        id: "unilevel",
        maxDepth: 3,
        compression: "dynamic",
        rates: {
          standard: [
            { kind: "percent", percent: "10" },
            { kind: "percent", percent: "5" },
            { kind: "percent", percent: "2" },
          ],
        },
      },
    ],
  },
  null,
  2,
);
