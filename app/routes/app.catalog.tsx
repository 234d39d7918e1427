import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  DataTable,
  EmptyState,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { db } from "~/db.server";
import { requireShop } from "~/services/admin/require-shop.server";
import { catalogAction, catalogOverview, type ClassView } from "~/services/admin/catalog.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  return catalogOverview(db(), shop.id, new URL(request.url).searchParams.get("q") ?? "");
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, session } = await requireShop(request);
  return catalogAction(db(), shop.id, await request.formData(), `admin:${session.shop}`);
};

/** One row's "map to class" control: a class picker and a button, posting the row's SKU or variant. */
function MapForm({
  classes,
  platform,
  sku,
  variantId,
  current,
  label,
}: {
  classes: readonly ClassView[];
  platform: string;
  sku: string | null;
  variantId: string | null;
  current: string | null;
  label: string;
}) {
  const [classKey, setClassKey] = useState(current ?? classes.find((c) => !c.isDefault)?.key ?? classes[0]?.key ?? "");
  if (classes.length === 0)
    return (
      <Text as="span" tone="subdued">
        Create a class first
      </Text>
    );
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="map" />
      <input type="hidden" name="platform" value={platform} />
      {sku ? <input type="hidden" name="sku" value={sku} /> : null}
      {variantId ? <input type="hidden" name="variantId" value={variantId} /> : null}
      <InlineStack gap="200" blockAlign="center" wrap={false}>
        <Select
          label={`Class for ${label}`}
          labelHidden
          name="classKey"
          options={classes.map((c) => ({ label: c.name, value: c.key }))}
          value={classKey}
          onChange={setClassKey}
        />
        <Button submit accessibilityLabel={`Map ${label}`}>
          Map
        </Button>
      </InlineStack>
    </Form>
  );
}

function ClassForm({ result }: { result: ReturnType<typeof useActionData<typeof action>> }) {
  const failed = result?.ok === false && result.values?.intent === "save_class";
  const [key, setKey] = useState(failed ? (result.values?.key ?? "") : "");
  const [name, setName] = useState(failed ? (result.values?.name ?? "") : "");
  const [isDefault, setIsDefault] = useState(failed ? result.values?.isDefault === "on" : false);
  const errors = failed ? (result.fieldErrors ?? {}) : {};
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="save_class" />
      <BlockStack gap="300">
        <FormLayout>
          <TextField
            label="Key"
            name="key"
            value={key}
            onChange={setKey}
            error={errors.key}
            helpText="The id plans pay on, e.g. standard or kits. An existing key renames that class."
            autoComplete="off"
          />
          <TextField label="Name" name="name" value={name} onChange={setName} error={errors.name} autoComplete="off" />
          <Checkbox label="Default class (every unmapped line)" name="isDefault" checked={isDefault} onChange={setIsDefault} />
          {isDefault ? <input type="hidden" name="isDefault" value="on" /> : null}
        </FormLayout>
        <InlineStack>
          <Button submit variant="primary">
            Save class
          </Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}

export default function Catalog() {
  const { classes, mappings, mappingCount, unmapped, hits, search } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const [query, setQuery] = useState(search);
  const embedding = [...params].filter(([key]) => key !== "q" && key !== "index");
  const exportHref = `/app/catalog/export.csv?${new URLSearchParams(embedding).toString()}`;
  const csvError = result?.ok === false ? result.fieldErrors?.csv : undefined;

  return (
    <Page>
      <TitleBar title="Catalog and commission classes" />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result?.ok === true ? <Banner tone="success" title={result.message} /> : null}
            {result?.ok === false ? <Banner tone="critical" title={result.error} /> : null}
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Find products to map
                </Text>
                <Form method="get">
                  {embedding.map(([key, value]) => (
                    <input key={key} type="hidden" name={key} value={value} />
                  ))}
                  <InlineStack gap="200" blockAlign="end">
                    <TextField label="Search the shop's catalog by SKU, title or tag" name="q" value={query} onChange={setQuery} autoComplete="off" />
                    <Button submit loading={navigation.state === "loading" && navigation.location?.search.includes("q=")}>
                      Search
                    </Button>
                  </InlineStack>
                </Form>
                {search.trim() === "" ? null : hits.length === 0 ? (
                  <Text as="p" tone="subdued">
                    No variant matches “{search}”. The catalog is read from Shopify on install and kept current by product updates.
                  </Text>
                ) : (
                  <DataTable
                    columnContentTypes={["text", "text", "text", "text"]}
                    headings={["Product", "SKU", "Class now", "Map to"]}
                    rows={hits.map((hit) => [
                      hit.title,
                      hit.sku ?? "—",
                      hit.classKey ?? "default",
                      <MapForm
                        key={hit.variantId}
                        classes={classes}
                        platform="shopify"
                        sku={hit.sku}
                        variantId={hit.variantId}
                        current={hit.classKey}
                        label={hit.sku ?? hit.title}
                      />,
                    ])}
                  />
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Unmapped SKUs in recent orders
                </Text>
                {unmapped.length === 0 ? (
                  <Text as="p" tone="subdued">
                    Every SKU sold in the last 90 days has a class.
                  </Text>
                ) : (
                  <>
                    <Text as="p" tone="subdued">
                      These lines paid on the default class. Map each to the class it should pay on; orders from now on use it.
                    </Text>
                    <DataTable
                      columnContentTypes={["text", "text", "text", "numeric", "text", "text"]}
                      headings={["SKU", "Platform", "Title", "Lines", "Last order", "Map to"]}
                      rows={unmapped.map((row) => [
                        row.sku,
                        row.platform,
                        row.title,
                        row.lines,
                        row.lastSeen,
                        <MapForm
                          key={`${row.platform}:${row.sku}`}
                          classes={classes}
                          platform={row.platform}
                          sku={row.sku}
                          variantId={null}
                          current={null}
                          label={row.sku}
                        />,
                      ])}
                    />
                  </>
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    SKU mappings ({mappingCount})
                  </Text>
                  {/* A plain link: the browser downloads what the resource route streams. */}
                  <a href={exportHref} download="sku-mappings.csv">
                    Export CSV
                  </a>
                </InlineStack>
                {mappings.length === 0 ? (
                  <EmptyState heading="No SKU is mapped yet" image="">
                    <p>Search the catalog above, fix an unmapped SKU, or import a CSV. Unmapped lines pay on the default class.</p>
                  </EmptyState>
                ) : (
                  <DataTable
                    columnContentTypes={["text", "text", "text", "text", "text", "text"]}
                    headings={["Platform", "SKU", "Variant", "Product", "Class", ""]}
                    rows={mappings.map((m) => [
                      m.platform,
                      m.sku ?? "—",
                      m.variantId ?? "—",
                      m.title ?? "",
                      m.classKey,
                      <Form key={m.id} method="post">
                        <input type="hidden" name="intent" value="unmap" />
                        <input type="hidden" name="mappingId" value={m.id} />
                        <Button submit variant="plain" tone="critical" accessibilityLabel={`Unmap ${m.sku ?? m.variantId}`}>
                          Unmap
                        </Button>
                      </Form>,
                    ])}
                  />
                )}
                {mappingCount > mappings.length ? (
                  <Text as="p" tone="subdued">
                    The {mappings.length} most recently changed are shown; export the CSV for all.
                  </Text>
                ) : null}
                <Form method="post" encType="multipart/form-data">
                  <input type="hidden" name="intent" value="import" />
                  <BlockStack gap="200">
                    <Text as="h3" variant="headingSm">
                      Import a CSV
                    </Text>
                    <Text as="p" tone="subdued">
                      Columns platform, sku, variant_id, class (the export&apos;s format). A file with a bad row imports nothing.
                    </Text>
                    <input type="file" name="csv" accept=".csv,text/csv" aria-label="Mapping CSV file" />
                    {csvError ? (
                      <Text as="p" tone="critical">
                        {csvError}
                      </Text>
                    ) : null}
                    <InlineStack>
                      <Button submit>Import</Button>
                    </InlineStack>
                  </BlockStack>
                </Form>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Commission classes
              </Text>
              {classes.length === 0 ? (
                <EmptyState heading="No commission classes yet" image="">
                  <p>Create the classes your plan pays on (for example standard and kits), then map SKUs to them.</p>
                </EmptyState>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "numeric"]}
                  headings={["Key", "Name", "SKUs"]}
                  rows={classes.map((c) => [
                    c.key,
                    <InlineStack key={c.key} gap="100">
                      <span>{c.name}</span>
                      {c.isDefault ? <Badge>default</Badge> : null}
                    </InlineStack>,
                    c.mappings,
                  ])}
                />
              )}
              <ClassForm key={result?.ok === true ? result.message : "form"} result={result} />
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
