import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, DataTable, FormLayout, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { db } from "~/db.server";
import { requireShop } from "~/services/admin/require-shop.server";
import { saveSettings, settingsOverview } from "~/services/admin/settings.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  return settingsOverview(db(), shop.id);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, session } = await requireShop(request);
  return saveSettings(db(), shop.id, await request.formData(), `admin:${session.shop}`);
};

const ACTION_LABELS: Record<string, string> = {
  "referral_settings.updated": "Referral link",
  "commission_settings.scheduled": "Commission base / hold window",
  "commission_settings.updated": "Commission base / hold window",
  "payout_settings.set": "Payouts",
};

export default function Settings() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  // A fresh form after each save (it shows what is in force) or refusal (it shows what was typed).
  return <SettingsForm key={JSON.stringify([data.settings, result?.ok === false ? result.values : null])} />;
}

function SettingsForm() {
  const { settings, currency, currencySource, minimum, today, history } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const failed = result?.ok === false ? result : null;
  const errors = failed?.fieldErrors ?? {};
  // After a validation error the form shows what was typed, not what is stored.
  const typed = failed?.values;
  const [values, setValues] = useState({
    param: typed?.param ?? settings.referral.param,
    cookieDays: typed?.cookieDays ?? String(settings.referral.cookie_days),
    attribution: typed?.attribution ?? settings.referral.attribution,
    includeShipping: typed ? typed.includeShipping === "on" : settings.commission.include_shipping,
    includeTax: typed ? typed.includeTax === "on" : settings.commission.include_tax,
    holdDays: typed?.holdDays ?? String(settings.commission.hold_days),
    effectiveFrom: typed?.effectiveFrom ?? today,
    minimum: typed?.minimum ?? minimum,
    schedule: typed?.schedule ?? settings.payouts.schedule,
  });
  const set = (key: keyof typeof values) => (value: string | boolean) => setValues({ ...values, [key]: value });
  const scheduled = settings.commission_changes.filter((c) => c.status === "scheduled");

  return (
    <Page>
      <TitleBar title="Settings" />
      <Form method="post">
        <input type="hidden" name="includeShipping" value={values.includeShipping ? "on" : "off"} />
        <input type="hidden" name="includeTax" value={values.includeTax ? "on" : "off"} />
        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              {result?.ok === true ? <Banner tone="success" title={result.message} /> : null}
              {failed ? <Banner tone="critical" title={failed.error} /> : null}
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Referral links
                  </Text>
                  <FormLayout>
                    <FormLayout.Group>
                      <TextField
                        label="Link parameter"
                        name="param"
                        value={values.param}
                        onChange={set("param")}
                        error={errors.param}
                        helpText={`Links look like https://your-store/?${values.param || "ref"}=CODE`}
                        autoComplete="off"
                      />
                      <TextField
                        label="Cookie days"
                        name="cookieDays"
                        type="number"
                        value={values.cookieDays}
                        onChange={set("cookieDays")}
                        error={errors.cookieDays}
                        autoComplete="off"
                      />
                    </FormLayout.Group>
                    <Select
                      label="When a shopper followed several links"
                      name="attribution"
                      options={[
                        { label: "Last click wins", value: "last_click" },
                        { label: "First click wins", value: "first_click" },
                      ]}
                      value={values.attribution}
                      onChange={set("attribution")}
                    />
                  </FormLayout>
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Commission base and hold window
                  </Text>
                  <Text as="p" tone="subdued">
                    These decide money: a change applies to orders placed from its date on; orders already placed keep the settings of their day.
                  </Text>
                  <FormLayout>
                    <Checkbox label="Include shipping in the commission base" checked={values.includeShipping} onChange={set("includeShipping")} />
                    <Checkbox label="Include tax in the commission base" checked={values.includeTax} onChange={set("includeTax")} />
                    <FormLayout.Group>
                      <TextField
                        label="Hold window (days)"
                        name="holdDays"
                        type="number"
                        value={values.holdDays}
                        onChange={set("holdDays")}
                        error={errors.holdDays}
                        helpText="Commissions stay pending this long (the refund window) before they can be paid."
                        autoComplete="off"
                      />
                      <TextField
                        label="Effective from"
                        name="effectiveFrom"
                        type="date"
                        value={values.effectiveFrom}
                        onChange={set("effectiveFrom")}
                        error={errors.effectiveFrom}
                        helpText="Today means from now on."
                        autoComplete="off"
                      />
                    </FormLayout.Group>
                  </FormLayout>
                  {scheduled.length > 0 ? (
                    <Text as="p">
                      Scheduled:{" "}
                      {scheduled
                        .map(
                          (c) =>
                            `from ${c.effective_from.slice(0, 10)}: ${[
                              c.hold_days !== undefined ? `hold ${c.hold_days} days` : null,
                              c.include_shipping !== undefined ? `shipping ${c.include_shipping ? "in" : "out"}` : null,
                              c.include_tax !== undefined ? `tax ${c.include_tax ? "in" : "out"}` : null,
                            ]
                              .filter(Boolean)
                              .join(", ")}`,
                        )
                        .join("; ")}
                    </Text>
                  ) : null}
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Payouts
                  </Text>
                  <FormLayout>
                    <FormLayout.Group>
                      <TextField
                        label={`Minimum payout (${currency})`}
                        name="minimum"
                        value={values.minimum}
                        onChange={set("minimum")}
                        error={errors.minimum}
                        helpText="Balances below it wait for the next run."
                        autoComplete="off"
                      />
                      <Select
                        label="Schedule"
                        name="schedule"
                        options={[
                          { label: "Manual", value: "manual" },
                          { label: "Weekly", value: "weekly" },
                          { label: "Monthly", value: "monthly" },
                        ]}
                        value={values.schedule}
                        onChange={set("schedule")}
                      />
                    </FormLayout.Group>
                  </FormLayout>
                  <Text as="p" tone="subdued">
                    Amounts are shown in {currency}
                    {currencySource === "shopify"
                      ? ", your Shopify store's currency"
                      : currencySource
                        ? ` (taken from the ${currencySource.replace("_", " ")})`
                        : ""}
                    .
                  </Text>
                </BlockStack>
              </Card>
              <InlineStack align="end">
                <Button submit variant="primary" loading={navigation.state === "submitting"}>
                  Save settings
                </Button>
              </InlineStack>
            </BlockStack>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Recent changes
                </Text>
                {history.length === 0 ? (
                  <Text as="p" tone="subdued">
                    No setting has been changed yet; the defaults apply.
                  </Text>
                ) : (
                  <DataTable
                    columnContentTypes={["text", "text", "text"]}
                    headings={["When (UTC)", "What", "By"]}
                    rows={history.map((h) => [h.at.slice(0, 16).replace("T", " "), ACTION_LABELS[h.action] ?? h.action, h.actor])}
                  />
                )}
              </BlockStack>
            </Card>
          </Layout.Section>
        </Layout>
      </Form>
    </Page>
  );
}
