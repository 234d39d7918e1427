import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, DataTable, FormLayout, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { db } from "~/db.server";
import { requireShop } from "~/services/admin/require-shop.server";
import { StatusBadge } from "~/components/admin/status-badge";
import { createFromForm, distributorList } from "~/services/admin/distributors.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  return distributorList(db(), shop.id, new URL(request.url).searchParams);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, session } = await requireShop(request);
  return createFromForm(db(), shop.id, await request.formData(), `admin:${session.shop}`);
};

export default function Distributors() {
  const { items, nextAfter } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const [search, setSearch] = useState(params.get("q") ?? "");
  const [fields, setFields] = useState({ name: "", email: "", code: "", sponsor: "" });
  const errors = result?.ok === false ? result.errors : {};
  // Keeps the embedding parameters (shop, host, id_token) on links inside the admin.
  const withParams = (path: string) => `${path}?${params.toString()}`;

  return (
    <Page>
      <TitleBar title="Distributors" />
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Form method="get">
                {[...params]
                  .filter(([key]) => key !== "q" && key !== "after")
                  .map(([key, value]) => (
                    <input key={key} type="hidden" name={key} value={value} />
                  ))}
                <InlineStack gap="200" blockAlign="end">
                  <TextField label="Search by code, name or e-mail" name="q" value={search} onChange={setSearch} autoComplete="off" />
                  <Button submit>Search</Button>
                </InlineStack>
              </Form>
              {items.length === 0 ? (
                <Text as="p">No distributors{params.get("q") ? " match" : " yet"}.</Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text", "text", "text"]}
                  headings={["Code", "Name", "E-mail", "Status", "Enrolled"]}
                  rows={items.map((item) => [
                    <Link key={item.id} to={withParams(`/app/distributors/${item.id}`)}>
                      {item.code}
                    </Link>,
                    item.name ?? "",
                    item.email ?? "",
                    <StatusBadge key="status" status={item.status} />,
                    item.enrolledAt.slice(0, 10),
                  ])}
                />
              )}
              {nextAfter ? <Link to={`?${new URLSearchParams({ ...Object.fromEntries(params), after: nextAfter })}`}>Next page</Link> : null}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <Form method="post">
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Add a distributor
                </Text>
                {result?.ok === true ? (
                  <Banner tone="success" title={result.message}>
                    {result.distributorId ? <Link to={withParams(`/app/distributors/${result.distributorId}`)}>Open</Link> : null}
                  </Banner>
                ) : null}
                <FormLayout>
                  <TextField
                    label="Name"
                    name="name"
                    value={fields.name}
                    onChange={(name) => setFields({ ...fields, name })}
                    error={errors.name}
                    autoComplete="off"
                  />
                  <TextField
                    label="E-mail"
                    name="email"
                    type="email"
                    value={fields.email}
                    onChange={(email) => setFields({ ...fields, email })}
                    error={errors.email}
                    autoComplete="off"
                  />
                  <TextField
                    label="Sponsor (code)"
                    name="sponsor"
                    value={fields.sponsor}
                    onChange={(sponsor) => setFields({ ...fields, sponsor })}
                    error={errors.sponsor}
                    helpText="Empty: under the company"
                    autoComplete="off"
                  />
                  <TextField
                    label="Referral code"
                    name="code"
                    value={fields.code}
                    onChange={(code) => setFields({ ...fields, code })}
                    error={errors.code}
                    helpText="Empty: one is generated"
                    autoComplete="off"
                  />
                </FormLayout>
                <Button submit variant="primary" loading={navigation.state === "submitting"}>
                  Add distributor
                </Button>
              </BlockStack>
            </Form>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
