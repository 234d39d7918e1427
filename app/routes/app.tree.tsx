import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, FormLayout, InlineStack, Layout, Page, SkeletonBodyText, Text, TextField } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { db } from "~/db.server";
import { requireShop } from "~/services/admin/require-shop.server";
import { StatusBadge } from "~/components/admin/status-badge";
import { EffectiveFromField } from "~/components/admin/effective-from-field";
import { treeAction, treeLoader } from "~/services/admin/tree-page.server";
import type { TreeChildren, TreeNode } from "~/services/admin/tree.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  return treeLoader(db(), shop.id, new URL(request.url).searchParams);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, session } = await requireShop(request);
  return treeAction(db(), shop.id, await request.formData(), `admin:${session.shop}`);
};

const OWN_KEYS = new Set(["node", "q", "after", "children"]);
type WithParams = (path: string, extra?: Record<string, string>) => string;

function recruitsLabel(count: number) {
  return count > 1_000 ? "1,000+ recruits" : `${count} recruit${count === 1 ? "" : "s"}`;
}

/** One node; its children are fetched the first time it is opened, 50 at a time. */
function Branch({ node, withParams }: { node: TreeNode; withParams: WithParams }) {
  const [open, setOpen] = useState(false);
  const [pages, setPages] = useState<TreeChildren[]>([]);
  const fetcher = useFetcher<{ children: TreeChildren }>();
  useEffect(() => {
    if (fetcher.data?.children) setPages((loaded) => [...loaded, fetcher.data!.children]);
  }, [fetcher.data]);
  const load = (after?: string) => fetcher.load(withParams("/app/tree", { children: node.id, ...(after ? { after } : {}) }));
  const toggle = () => {
    if (!open && pages.length === 0) load();
    setOpen(!open);
  };
  const next = pages.at(-1)?.next ?? null;
  return (
    <li style={{ listStyle: "none" }}>
      <InlineStack gap="200" blockAlign="center" wrap={false}>
        {node.recruits > 0 ? (
          <Button variant="plain" onClick={toggle} accessibilityLabel={`${open ? "Collapse" : "Expand"} ${node.code}`}>
            {open ? "▾" : "▸"}
          </Button>
        ) : (
          <span style={{ display: "inline-block", width: "1.25rem" }} />
        )}
        <Link to={withParams("/app/tree", { node: node.id })}>{node.code}</Link>
        <Text as="span" tone="subdued">
          {node.name ?? ""} · {recruitsLabel(node.recruits)}
        </Text>
        <StatusBadge status={node.status} />
      </InlineStack>
      {open ? (
        <ul style={{ paddingInlineStart: "1.5rem", margin: 0 }}>
          {pages
            .flatMap((page) => page.children)
            .map((child) => (
              <Branch key={child.id} node={child} withParams={withParams} />
            ))}
          {fetcher.state === "loading" ? (
            <li style={{ listStyle: "none" }}>
              <SkeletonBodyText lines={2} />
            </li>
          ) : null}
          {next && fetcher.state === "idle" ? (
            <li style={{ listStyle: "none" }}>
              <Button variant="plain" onClick={() => load(next)}>
                {`More recruits of ${node.code}`}
              </Button>
            </li>
          ) : null}
        </ul>
      ) : null}
    </li>
  );
}

export default function Tree() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const [search, setSearch] = useState(params.get("q") ?? "");
  const [move, setMove] = useState({ newSponsor: "", effectiveFrom: "", reason: "" });
  const embedding = [...params].filter(([key]) => !OWN_KEYS.has(key));
  const withParams: WithParams = (path, extra = {}) => {
    const query = new URLSearchParams(embedding);
    for (const [key, value] of Object.entries(extra)) query.set(key, value);
    return `${path}?${query.toString()}`;
  };
  if ("children" in data) return null;
  const { root, upline, results } = data;
  const parent = root.parent;
  const errors = result?.ok === false ? result.errors : {};

  return (
    <Page title="Genealogy tree">
      <TitleBar title="Genealogy tree" />
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Form method="get">
                {embedding.map(([key, value]) => (
                  <input key={key} type="hidden" name={key} value={value} />
                ))}
                <InlineStack gap="200" blockAlign="end">
                  <TextField label="Find a distributor by code, name or e-mail" name="q" value={search} onChange={setSearch} autoComplete="off" />
                  <Button submit>Find</Button>
                </InlineStack>
              </Form>
              {results === null ? null : results.length === 0 ? (
                <Text as="p">{`Nobody matches "${params.get("q")}".`}</Text>
              ) : (
                <BlockStack gap="100">
                  {results.map((hit) => (
                    <InlineStack key={hit.id} gap="200">
                      <Link to={withParams("/app/tree", { node: hit.id })}>{`Show ${hit.code} in the tree`}</Link>
                      <Text as="span" tone="subdued">
                        {[hit.name, hit.email].filter(Boolean).join(" · ")}
                      </Text>
                    </InlineStack>
                  ))}
                </BlockStack>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            {navigation.state === "loading" && navigation.location?.pathname === "/app/tree" ? (
              <SkeletonBodyText lines={6} />
            ) : !parent ? (
              <Text as="p">No distributors yet. Enrol the first one on the Distributors page; the tree grows from the company.</Text>
            ) : (
              <BlockStack gap="300">
                {upline.length > 0 ? (
                  <InlineStack gap="100">
                    <Text as="span">Upline:</Text>
                    {[...upline].reverse().map((entry) => (
                      <Link key={entry.id} to={withParams("/app/tree", entry.isCompanyNode ? {} : { node: entry.id })}>
                        {entry.isCompanyNode ? `${entry.code} (company)` : entry.code}
                      </Link>
                    ))}
                  </InlineStack>
                ) : null}
                <InlineStack gap="200" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    {parent.isCompanyNode ? `${parent.code} (company)` : `${parent.code} ${parent.name ?? ""}`}
                  </Text>
                  <Text as="span" tone="subdued">
                    {recruitsLabel(parent.recruits)}
                  </Text>
                  {parent.isCompanyNode ? null : <Link to={withParams(`/app/distributors/${parent.id}`)}>Open distributor page</Link>}
                </InlineStack>
                {root.children.length === 0 ? (
                  <Text as="p">No recruits.</Text>
                ) : (
                  <Box>
                    <ul style={{ margin: 0, paddingInlineStart: 0 }}>
                      {root.children.map((child) => (
                        <Branch key={child.id} node={child} withParams={withParams} />
                      ))}
                    </ul>
                  </Box>
                )}
                {root.next ? (
                  <InlineStack>
                    <Button url={withParams("/app/tree", { ...(parent.isCompanyNode ? {} : { node: parent.id }), after: root.next })}>More recruits</Button>
                  </InlineStack>
                ) : null}
              </BlockStack>
            )}
          </Card>
        </Layout.Section>
        {parent && !parent.isCompanyNode ? (
          <Layout.Section variant="oneThird">
            <Card>
              <Form method="post">
                <input type="hidden" name="distributorId" value={parent.id} />
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    {`Move ${parent.code} to another sponsor`}
                  </Text>
                  {result?.ok === true ? <Banner tone="success" title={result.message} /> : null}
                  {errors.form ? <Banner tone="critical" title={errors.form} /> : null}
                  <FormLayout>
                    <TextField
                      label="New sponsor (code)"
                      name="newSponsor"
                      value={move.newSponsor}
                      onChange={(newSponsor) => setMove({ ...move, newSponsor })}
                      error={errors.newSponsor}
                      autoComplete="off"
                    />
                    <EffectiveFromField
                      value={move.effectiveFrom}
                      onChange={(effectiveFrom) => setMove({ ...move, effectiveFrom })}
                      error={errors.effectiveFrom}
                    />
                    <TextField
                      label="Reason"
                      name="reason"
                      value={move.reason}
                      onChange={(reason) => setMove({ ...move, reason })}
                      error={errors.reason}
                      autoComplete="off"
                    />
                  </FormLayout>
                  <Button submit variant="primary" loading={navigation.state === "submitting"}>
                    Move
                  </Button>
                </BlockStack>
              </Form>
            </Card>
          </Layout.Section>
        ) : null}
      </Layout>
    </Page>
  );
}
