import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, DataTable, FormLayout, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { db } from "~/db.server";
import { requireShop } from "~/services/admin/require-shop.server";
import { StatusBadge } from "~/components/admin/status-badge";
import { EffectiveFromField } from "~/components/admin/effective-from-field";
import { distributorDetail, moveFromForm, statusFromForm } from "~/services/admin/distributors.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  const detail = await distributorDetail(db(), shop.id, params.id ?? "");
  if (!detail) throw new Response("No such distributor in this shop", { status: 404 });
  return detail;
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop, session } = await requireShop(request);
  const detail = await distributorDetail(db(), shop.id, params.id ?? "");
  if (!detail) throw new Response("No such distributor in this shop", { status: 404 });
  const form = await request.formData();
  const intent = form.get("intent");
  form.delete("intent");
  const actor = `admin:${session.shop}`;
  if (intent === "move") return { intent, ...(await moveFromForm(db(), shop.id, detail.profile.id, form, actor)) };
  if (intent === "status") return { intent, ...(await statusFromForm(db(), shop.id, detail.profile.id, form, actor)) };
  return { intent: "unknown", ok: false as const, errors: { form: "Unknown action" } };
};

export default function DistributorDetail() {
  const { profile, upline, downline, balances } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const [move, setMove] = useState({ newSponsor: "", effectiveFrom: "", reason: "" });
  const [status, setStatus] = useState<{ status: string; effectiveFrom: string; reason: string }>({ status: profile.status, effectiveFrom: "", reason: "" });
  const errorsFor = (intent: string) => (result && result.intent === intent && result.ok === false ? result.errors : {});
  const withParams = (path: string) => `${path}?${params.toString()}`;

  return (
    <Page backAction={{ content: "Distributors", url: withParams("/app/distributors") }} title={profile.code}>
      <TitleBar title={`Distributor ${profile.code}`} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result?.ok === true ? <Banner tone="success" title={result.message} /> : null}
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {profile.name ?? profile.code} <StatusBadge status={profile.status} />
                </Text>
                <Text as="p">
                  {profile.email ?? "No e-mail"} · enrolled {profile.enrolledAt.slice(0, 10)} · sponsor{" "}
                  {profile.sponsor ? <Link to={withParams(`/app/distributors/${profile.sponsor.id}`)}>{profile.sponsor.code}</Link> : "none (a root)"}
                  {profile.rank ? ` · paid as ${profile.rank.paidAsRank ?? "no rank"} (highest ${profile.rank.achievedRank})` : ""}
                </Text>
                {profile.redactedAt ? <Banner tone="info" title={`Personal data redacted on ${profile.redactedAt.slice(0, 10)}`} /> : null}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Upline
                </Text>
                {upline.length === 0 ? (
                  <Text as="p">None: this distributor is a root of the sponsor tree.</Text>
                ) : (
                  <DataTable
                    columnContentTypes={["numeric", "text", "text", "text"]}
                    headings={["Level", "Code", "Status", "Paid-as rank"]}
                    rows={upline.map((entry) => [
                      entry.level,
                      <Link key={entry.distributorId} to={withParams(`/app/distributors/${entry.distributorId}`)}>
                        {entry.isCompanyNode ? `${entry.code} (company)` : entry.code}
                      </Link>,
                      <StatusBadge key="status" status={entry.status} />,
                      entry.paidAsRank ?? "",
                    ])}
                  />
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Downline
                </Text>
                {downline.levels.length === 0 ? (
                  <Text as="p">No one enrolled under this distributor yet.</Text>
                ) : (
                  <>
                    <DataTable
                      columnContentTypes={["numeric", "numeric", "numeric"]}
                      headings={["Level", "Members", "Personal volume this month"]}
                      rows={downline.levels.map((level) => [level.level, level.members, level.pv])}
                    />
                    <DataTable
                      columnContentTypes={["numeric", "text", "text", "numeric"]}
                      headings={["Level", "Code", "Status", "PV"]}
                      rows={downline.members.map((member) => [
                        member.level,
                        <Link key={member.distributorId} to={withParams(`/app/distributors/${member.distributorId}`)}>
                          {member.code}
                        </Link>,
                        <StatusBadge key="status" status={member.status} />,
                        member.pv,
                      ])}
                    />
                    {downline.more ? (
                      <Text as="p" tone="subdued">
                        Showing the first page; the REST API pages through the rest.
                      </Text>
                    ) : null}
                  </>
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Balance
                </Text>
                {balances.length === 0 ? (
                  <Text as="p">No earnings yet.</Text>
                ) : (
                  <DataTable
                    columnContentTypes={["text", "numeric", "numeric"]}
                    headings={["Currency", "Pending", "Available"]}
                    rows={balances.map((balance) => [balance.currency, balance.pending, balance.available])}
                  />
                )}
              </BlockStack>
            </Card>
            <Card>
              <Form method="post">
                <input type="hidden" name="intent" value="move" />
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Move to another sponsor
                  </Text>
                  <Text as="p" tone="subdued">
                    Effective from the time given; commissions already computed never change.
                  </Text>
                  <FormLayout>
                    <TextField
                      label="New sponsor (code)"
                      name="newSponsor"
                      value={move.newSponsor}
                      onChange={(newSponsor) => setMove({ ...move, newSponsor })}
                      error={errorsFor("move").newSponsor}
                      autoComplete="off"
                    />
                    <EffectiveFromField
                      value={move.effectiveFrom}
                      onChange={(effectiveFrom) => setMove({ ...move, effectiveFrom })}
                      error={errorsFor("move").effectiveFrom}
                    />
                    <TextField
                      label="Reason"
                      name="reason"
                      value={move.reason}
                      onChange={(reason) => setMove({ ...move, reason })}
                      error={errorsFor("move").reason}
                      autoComplete="off"
                    />
                  </FormLayout>
                  <Button submit loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "move"}>
                    Move
                  </Button>
                </BlockStack>
              </Form>
            </Card>
            <Card>
              <Form method="post">
                <input type="hidden" name="intent" value="status" />
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Status
                  </Text>
                  <FormLayout>
                    <Select
                      label="Status"
                      name="status"
                      options={["active", "inactive", "terminated"]}
                      value={status.status}
                      onChange={(value) => setStatus({ ...status, status: value })}
                      error={errorsFor("status").status}
                    />
                    <EffectiveFromField
                      value={status.effectiveFrom}
                      onChange={(effectiveFrom) => setStatus({ ...status, effectiveFrom })}
                      error={errorsFor("status").effectiveFrom}
                    />
                    <TextField label="Reason" name="reason" value={status.reason} onChange={(reason) => setStatus({ ...status, reason })} autoComplete="off" />
                  </FormLayout>
                  <Button submit loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "status"}>
                    Change status
                  </Button>
                </BlockStack>
              </Form>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
