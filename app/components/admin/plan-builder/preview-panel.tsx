import { useState } from "react";
import { Banner, BlockStack, Button, ChoiceList, DataTable, FormLayout, InlineStack, Text, TextField } from "@shopify/polaris";
import type { PreviewOutcome } from "~/services/admin/plan-preview.server";
import { IssueList } from "../issue-list";

export interface PreviewInput {
  readonly source: "orders" | "basket";
  readonly orderIds: readonly string[];
  readonly basket: { readonly referralCode: string; readonly sku: string; readonly quantity: string; readonly unitPrice: string };
}

interface PreviewPanelProps {
  readonly orders: readonly { readonly orderId: string; readonly label: string; readonly orderedAt: string; readonly paid: string }[];
  readonly outcome: PreviewOutcome | undefined;
  readonly loading: boolean;
  readonly onPreview: (input: PreviewInput) => void;
}

/** What-if: the draft on chosen past orders or a typed basket, per distributor and rule, beside what was paid. */
export function PreviewPanel({ orders, outcome, loading, onPreview }: PreviewPanelProps) {
  const [chosen, setChosen] = useState<string[]>([]);
  const [basket, setBasket] = useState({ referralCode: "", sku: "", quantity: "1", unitPrice: "" });
  const basketError = (field: string) =>
    outcome?.ok === false ? outcome.issues.find((issue) => issue.path.startsWith(`basket.${field}`))?.message : undefined;
  return (
    <BlockStack gap="400">
      <Text as="h2" variant="headingMd">
        What-if preview
      </Text>
      <Text as="p" tone="subdued">
        Replays the draft on orders without writing anything, beside what the versions in force paid.
      </Text>
      {orders.length === 0 ? (
        <Text as="p">No evaluated order yet: preview on a typed basket below, or wait for the first order.</Text>
      ) : (
        <ChoiceList
          title="Past orders (none chosen: the latest)"
          allowMultiple
          choices={orders.map((order) => ({ label: `${order.label} · ${order.orderedAt.slice(0, 10)} · paid ${order.paid}`, value: order.orderId }))}
          selected={chosen}
          onChange={setChosen}
        />
      )}
      <InlineStack>
        <Button loading={loading} onClick={() => onPreview({ source: "orders", orderIds: chosen, basket })}>
          Preview on past orders
        </Button>
      </InlineStack>
      <FormLayout>
        <FormLayout.Group condensed>
          <TextField
            label="Basket: referral code"
            value={basket.referralCode}
            onChange={(referralCode) => setBasket({ ...basket, referralCode })}
            error={basketError("referrer_id")}
            autoComplete="off"
          />
          <TextField
            label="Basket: SKU"
            value={basket.sku}
            onChange={(sku) => setBasket({ ...basket, sku })}
            error={basketError("items.0.sku")}
            autoComplete="off"
          />
          <TextField
            label="Basket: quantity"
            value={basket.quantity}
            onChange={(quantity) => setBasket({ ...basket, quantity })}
            error={basketError("items.0.quantity")}
            autoComplete="off"
          />
          <TextField
            label="Basket: unit price"
            value={basket.unitPrice}
            onChange={(unitPrice) => setBasket({ ...basket, unitPrice })}
            error={basketError("items.0.unit_price")}
            autoComplete="off"
          />
        </FormLayout.Group>
      </FormLayout>
      <InlineStack>
        <Button loading={loading} onClick={() => onPreview({ source: "basket", orderIds: [], basket })}>
          Preview on basket
        </Button>
      </InlineStack>
      {outcome?.ok === false ? (
        <Banner tone="warning" title="No preview">
          <IssueList issues={outcome.issues} />
        </Banner>
      ) : null}
      {outcome?.ok === true ? (
        <BlockStack gap="200">
          <Text as="p">
            {outcome.source === "basket" ? "On the basket" : `On ${outcome.orders} ${outcome.orders === 1 ? "order" : "orders"}`}, this draft would pay{" "}
            {outcome.draft} {outcome.currency}; the {outcome.source === "basket" ? "version in force would pay" : "versions in force paid"} {outcome.inForce}{" "}
            {outcome.currency}. Nothing was written.
          </Text>
          {outcome.rows.length === 0 ? (
            <Text as="p">Nobody would earn anything.</Text>
          ) : (
            <DataTable
              columnContentTypes={["text", "text", "numeric", "numeric"]}
              headings={["Distributor", "Rule", "This draft", "In force"]}
              rows={outcome.rows.map((row) => [row.distributor, row.rule, row.draft, row.inForce])}
              totals={["", "", outcome.draft, outcome.inForce]}
              showTotalsInFooter
            />
          )}
        </BlockStack>
      ) : null}
    </BlockStack>
  );
}
