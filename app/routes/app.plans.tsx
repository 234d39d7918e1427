import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { db } from "~/db.server";
import { requireShop } from "~/services/admin/require-shop.server";
import { IssueList } from "~/components/admin/issue-list";
import { PlanBuilder } from "~/components/admin/plan-builder/plan-builder";
import { PreviewPanel, type PreviewInput } from "~/components/admin/plan-builder/preview-panel";
import { usePlanEditor } from "~/components/admin/plan-builder/use-plan-editor";
import { VersionDiff } from "~/components/admin/plan-builder/version-diff";
import { plansOverview, publishPlanFromForm } from "~/services/admin/plans.server";
import { previewPlan } from "~/services/admin/plan-preview.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  return plansOverview(db(), shop.id);
};

function field(form: FormData, name: string): string {
  return String(form.get(name) ?? "");
}

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, session } = await requireShop(request);
  const form = await request.formData();
  if (form.get("intent") === "preview") {
    const basket = field(form, "source") === "basket";
    const wanted = {
      rulesText: field(form, "rules"),
      orderIds: form.getAll("orderId").map(String),
      basket: basket
        ? { referralCode: field(form, "referralCode"), sku: field(form, "sku"), quantity: field(form, "quantity"), unitPrice: field(form, "unitPrice") }
        : undefined,
    };
    return { intent: "preview" as const, ...(await previewPlan(db(), shop.id, wanted)) };
  }
  // datetime-local has no zone: the field is labelled UTC, so the value is read as UTC.
  const local = field(form, "effectiveFrom");
  const published = await publishPlanFromForm(
    db(),
    shop.id,
    { rulesText: field(form, "rules"), effectiveFrom: local === "" ? "" : `${local}Z` },
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
  const { versions, classes, settings, currency, recentOrders } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const result = actionData?.intent === "publish" ? actionData : undefined;
  const preview = actionData?.intent === "preview" ? actionData : undefined;
  const navigation = useNavigation();
  const submitting = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const submit = useSubmit();
  const editor = usePlanEditor(versions[0]?.rulesText ?? JSON.stringify({ schemaVersion: 1, components: [] }, null, 2));
  const [effectiveFrom, setEffectiveFrom] = useState(new Date().toISOString().slice(0, 16));
  const issues = result?.ok === false ? result.issues : preview?.ok === false ? preview.issues : [];
  const classKeys = [...classes].sort((a, b) => Number(b.isDefault) - Number(a.isDefault)).map((commissionClass) => commissionClass.key);

  const publish = () => submit({ intent: "publish", rules: editor.rulesText, effectiveFrom }, { method: "post" });
  const runPreview = (input: PreviewInput) => {
    const form = new FormData();
    form.set("intent", "preview");
    form.set("rules", editor.rulesText);
    form.set("source", input.source);
    for (const id of input.orderIds) form.append("orderId", id);
    for (const [key, value] of Object.entries(input.basket)) form.set(key, value);
    submit(form, { method: "post" });
  };

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
                <Text as="p">No plan yet: orders are recorded but earn nothing until a version is in force. Build the first one below.</Text>
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
            <BlockStack gap="400">
              {result?.ok === true ? (
                <Banner tone="success" title={`Version ${result.version} published`}>
                  {result.missingClasses.length > 0 ? <p>It pays on classes this shop does not have yet: {result.missingClasses.join(", ")}.</p> : null}
                </Banner>
              ) : null}
              {result?.ok === false ? (
                <Banner tone="critical" title="The version was not published">
                  <p>Each field below shows what to fix.</p>
                  <IssueList issues={result.issues} />
                </Banner>
              ) : null}
              <PlanBuilder editor={editor} issues={issues} currency={currency} classKeys={classKeys} />
              <TextField
                label="In force from (UTC)"
                name="effectiveFrom"
                type="datetime-local"
                value={effectiveFrom}
                onChange={setEffectiveFrom}
                error={issues.find((issue) => issue.path === "effectiveFrom")?.message}
                autoComplete="off"
              />
              <InlineStack gap="200">
                <Button variant="primary" onClick={publish} loading={submitting("publish")}>
                  Publish version
                </Button>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <PreviewPanel orders={recentOrders} outcome={preview} loading={submitting("preview")} onPreview={runPreview} />
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <VersionDiff versions={versions} draftText={editor.rulesText} />
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
