import { useEffect } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link as RemixLink, useActionData, useLoaderData, useLocation, useNavigation, useRevalidator } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, EmptyState, InlineStack, Layout, Page, ProgressBar, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { db } from "~/db.server";
import { requireShop } from "~/services/admin/require-shop.server";
import { payoutAction, payoutsOverview, type HeldView, type ItemView, type MoneyView, type RunDetailView } from "~/services/admin/payouts.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  return payoutsOverview(db(), shop.id, new URL(request.url).searchParams.get("run"));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, session } = await requireShop(request);
  return payoutAction(db(), shop.id, await request.formData(), `admin:${session.shop}`);
};

/** How often the page re-reads a run that is being paid. */
const POLL_MS = 1_000;

const RUN_TONES = { draft: "info", approved: "attention", executing: "attention", completed: "success", cancelled: undefined } as const;
const ITEM_TONES = { pending: undefined, submitted: "attention", paid: "success", failed: "critical", returned: "critical", cancelled: undefined } as const;

function RunBadge({ status }: { status: string }) {
  return <Badge tone={RUN_TONES[status as keyof typeof RUN_TONES]}>{status}</Badge>;
}

function totalsText(totals: readonly MoneyView[]): string {
  return totals.length === 0 ? "—" : totals.map((t) => `${t.total} ${t.currency}`).join(" · ");
}

/** The page's own URL with `run` set: keeps the embedded-admin parameters (shop, host, id_token) the page came with. */
function useHref() {
  const location = useLocation();
  return (path: string, params: Record<string, string> = {}) => {
    const search = new URLSearchParams(location.search);
    search.delete("index");
    for (const [key, value] of Object.entries(params)) search.set(key, value);
    return `${path}?${search.toString()}`;
  };
}

function IntentButton({
  intent,
  fields,
  label,
  accessibilityLabel,
  primary,
  destructive,
}: {
  intent: string;
  fields: Record<string, string>;
  label: string;
  accessibilityLabel?: string;
  primary?: boolean;
  destructive?: boolean;
}) {
  const navigation = useNavigation();
  const busy =
    navigation.state === "submitting" &&
    navigation.formData?.get("intent") === intent &&
    Object.entries(fields).every(([k, v]) => navigation.formData?.get(k) === v);
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Button
        submit
        variant={primary ? "primary" : undefined}
        tone={destructive ? "critical" : undefined}
        loading={busy}
        accessibilityLabel={accessibilityLabel}
      >
        {label}
      </Button>
    </Form>
  );
}

function HeldTable({ held, count }: { held: readonly HeldView[]; count: number }) {
  if (count === 0)
    return (
      <Text as="p" tone="subdued">
        Nobody is held back.
      </Text>
    );
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        Held back ({count})
      </Text>
      <DataTable
        columnContentTypes={["text", "numeric", "text"]}
        headings={["Distributor", "Balance", "Reason"]}
        rows={held.map((h) => [h.code, `${h.balance} ${h.currency}`, h.minimum ? `${h.reasonLabel} (${h.minimum} ${h.currency})` : h.reasonLabel])}
      />
      {count > held.length ? (
        <Text as="p" tone="subdued">
          The first {held.length} are shown.
        </Text>
      ) : null}
    </BlockStack>
  );
}

function ItemActions({ item, runStatus }: { item: ItemView; runStatus: string }) {
  const href = useHref();
  if (item.retryRunId) {
    return <RemixLink to={href("/app/payouts", { run: item.retryRunId })}>Retried</RemixLink>;
  }
  if (item.status === "failed" || item.status === "returned") {
    return <IntentButton intent="retry" fields={{ itemId: item.id }} label="Retry" accessibilityLabel={`Retry ${item.code}`} />;
  }
  if (item.method === "bank" && (item.status === "pending" || item.status === "submitted") && runStatus !== "draft" && runStatus !== "cancelled") {
    return <IntentButton intent="mark_paid" fields={{ itemId: item.id }} label="Mark paid" accessibilityLabel={`Mark ${item.code} paid`} />;
  }
  return null;
}

function RunDetail({ run }: { run: RunDetailView }) {
  const href = useHref();
  const { progress } = run;
  const percent = progress.total === 0 ? 100 : Math.round((progress.finished / progress.total) * 100);
  const paying = run.status === "approved" || run.status === "executing";
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Run of {run.createdAt.slice(0, 16).replace("T", " ")} UTC
          </Text>
          <RunBadge status={run.status} />
          {run.retryOf ? <Badge>retry</Badge> : null}
        </InlineStack>
        <Text as="p">
          {run.itemCount} items · {totalsText(run.totals)}
        </Text>
        {paying || run.status === "completed" ? (
          <BlockStack gap="100">
            <ProgressBar progress={percent} tone={progress.failed > 0 ? "critical" : "success"} size="small" ariaLabelledBy="payout-progress" />
            <Text as="p" id="payout-progress">
              {progress.finished} of {progress.total} items finished: {progress.paid} paid, {progress.failed} failed
              {progress.openBank > 0 ? `, ${progress.openBank} waiting for the bank's confirmation` : ""}
            </Text>
          </BlockStack>
        ) : null}
        <InlineStack gap="200">
          {run.status === "draft" ? <IntentButton intent="approve" fields={{ runId: run.id }} label="Approve and pay" primary /> : null}
          {run.status === "draft" || run.status === "approved" ? (
            <IntentButton intent="cancel" fields={{ runId: run.id }} label="Cancel run" destructive />
          ) : null}
          {run.hasBankFile ? (
            // A plain link, not a client-side navigation: the browser downloads the file the resource route streams.
            <a href={href(`/app/payouts/${run.id}/export.csv`)} download={`payout-run-${run.id}.csv`}>
              Download bank file (CSV)
            </a>
          ) : null}
        </InlineStack>
        {run.items.length === 0 ? (
          <Text as="p" tone="subdued">
            This run has no items.
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "numeric", "text", "text", "text"]}
            headings={["Distributor", "Method", "Amount", "Status", "Note", ""]}
            rows={run.items.map((item) => [
              item.code,
              item.method,
              `${item.amount} ${item.currency}`,
              <Badge key="status" tone={ITEM_TONES[item.status as keyof typeof ITEM_TONES]}>
                {item.status}
              </Badge>,
              item.lastError ?? "",
              <ItemActions key="actions" item={item} runStatus={run.status} />,
            ])}
          />
        )}
        {run.itemCount > run.items.length ? (
          <Text as="p" tone="subdued">
            The first {run.items.length} items are shown; the REST API lists them all.
          </Text>
        ) : null}
        <HeldTable held={run.heldBack} count={run.heldBackCount} />
      </BlockStack>
    </Card>
  );
}

export default function Payouts() {
  const { runs, selected, preview } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const href = useHref();

  // While the worker pays a run, re-read it (the loader) so the progress bar and item statuses move.
  const polling =
    selected !== null && (selected.status === "approved" || (selected.status === "executing" && selected.progress.open > selected.progress.openBank));
  useEffect(() => {
    if (!polling) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [polling, revalidator]);

  return (
    <Page>
      <TitleBar title="Payouts" />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result?.ok === true ? <Banner tone="success" title={result.message} /> : null}
            {result?.ok === false ? <Banner tone="critical" title={result.error} /> : null}
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Next run (preview)
                </Text>
                <Text as="p" tone="subdued">
                  Each distributor&apos;s available balance per currency, net of clawbacks, at or above the minimum payout. Nothing is paid until a run is
                  approved.
                </Text>
                {preview.items === 0 ? (
                  <Text as="p">Nobody is due a payout now.</Text>
                ) : (
                  <Text as="p">
                    {preview.items} to pay: {totalsText(preview.totals)}
                  </Text>
                )}
                <HeldTable held={preview.heldBack} count={preview.heldBackCount} />
                <InlineStack>
                  <IntentButton intent="create" fields={{}} label="Create draft run" primary={preview.items > 0} />
                </InlineStack>
              </BlockStack>
            </Card>
            {selected ? <RunDetail run={selected} /> : null}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Runs
              </Text>
              {runs.length === 0 ? (
                <EmptyState heading="No payout runs yet" image="">
                  <p>Create a draft run from the preview, check it, then approve it.</p>
                </EmptyState>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text"]}
                  headings={["Created (UTC)", "Status", "Totals"]}
                  rows={runs.map((run) => [
                    <RemixLink key="link" to={href("/app/payouts", { run: run.id })}>
                      {run.createdAt.slice(0, 16).replace("T", " ")}
                    </RemixLink>,
                    <RunBadge key="status" status={run.status} />,
                    totalsText(run.totals),
                  ])}
                />
              )}
              {navigation.state === "loading" ? (
                <Text as="p" tone="subdued">
                  Loading…
                </Text>
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
