/**
 * Builders and fast-check arbitraries shared by the engine and ledger tests (not used by production code).
 */
import fc from "fast-check";
import type { NormalizedRefund, NormalizedRefundLine } from "~/domain/platforms/normalized";
import type { CommissionCatalog } from "~/domain/engine/classes";
import { netLineAmount } from "~/domain/engine/commission-base";
import { parsePlanRules, type PlanRules, type Rate } from "~/domain/engine/plan-schema";
import type { DistributorStatus, EngineOrder, EngineOrderLine, EvaluationInput, ShopCommissionSettings, UplineNode } from "~/domain/engine/types";

export const EXCLUDE_SHIPPING_AND_TAX: ShopCommissionSettings = { includeShipping: false, includeTax: false };

export function percentRates(...percents: string[]): Rate[] {
  return percents.map((percent) => ({ kind: "percent", percent }));
}

export function unilevelPlan(rates: Record<string, Rate[]>, options: { maxDepth?: number; compression?: "dynamic" | "none"; id?: string } = {}): PlanRules {
  const maxDepth = options.maxDepth ?? Math.max(...Object.values(rates).map((levels) => levels.length));
  return parsePlanRules({
    schemaVersion: 1,
    components: [{ type: "unilevel", id: options.id ?? "unilevel", maxDepth, compression: options.compression ?? "dynamic", rates }],
  });
}

/** Two classes: "standard" (the default) and "kits", with SKU mappings for Shopify. */
export function standardCatalog(extraMappings: CommissionCatalog["mappings"] = []): CommissionCatalog {
  return {
    defaultClassId: "standard",
    classes: [
      { id: "standard", name: "Standard products", pv: { kind: "share_of_net", percent: "100" }, cv: { kind: "share_of_net", percent: "80" } },
      { id: "kits", name: "Enrollment kits", pv: { kind: "per_unit", points: "100" }, cv: { kind: "per_unit", points: "50" } },
    ],
    mappings: [
      { platform: "shopify", platformSku: "SERUM-30", platformVariantId: null, classId: "standard" },
      { platform: "shopify", platformSku: "CREAM-50", platformVariantId: null, classId: "standard" },
      { platform: "shopify", platformSku: "STARTER-KIT", platformVariantId: null, classId: "kits" },
      ...extraMappings,
    ],
  };
}

export function orderLine(
  platformLineId: string,
  sku: string | null,
  quantity: number,
  unitPriceMinor: bigint,
  discountMinor = 0n,
  taxMinor = 0n,
): EngineOrderLine {
  return { platformLineId, sku, platformVariantId: null, quantity, unitPriceMinor, discountMinor, taxMinor };
}

export function order(lines: EngineOrderLine[], extra: Partial<EngineOrder> = {}): EngineOrder {
  return {
    orderId: "order-1",
    platform: "shopify",
    platformOrderId: "5001",
    orderedAt: "2026-03-01T10:00:00Z",
    currency: "USD",
    shippingMinor: 0n,
    taxMinor: lines.reduce((sum, line) => sum + line.taxMinor, 0n),
    lines,
    ...extra,
  };
}

/** A chain from the attributed distributor upward; statuses default to active. */
export function chain(...nodes: (string | [string, DistributorStatus])[]): UplineNode[] {
  return nodes.map((node, index) => {
    const [distributorId, status] = typeof node === "string" ? [node, "active" as const] : node;
    return { distributorId, status, sponsorDepth: 100 - index };
  });
}

export function refund(
  platformRefundId: string,
  lines: { platformLineId: string; quantity: number; subtotalMinor: bigint; taxMinor?: bigint }[],
  extra: Partial<NormalizedRefund> = {},
): NormalizedRefund {
  const refundLines: NormalizedRefundLine[] = lines.map((line) => ({ ...line, taxMinor: line.taxMinor ?? 0n }));
  const total = refundLines.reduce((sum, line) => sum + line.subtotalMinor, 0n);
  return {
    kind: "refund",
    platform: "shopify",
    platformRefundId,
    platformOrderId: "5001",
    refundedAt: "2026-03-05T10:00:00Z",
    currency: "USD",
    lines: refundLines,
    shippingMinor: 0n,
    totalMinor: total,
    ...extra,
  };
}

/** Sum of amounts per key. */
export function sumBy<T>(items: readonly T[], key: (item: T) => string, amount: (item: T) => bigint): Map<string, bigint> {
  const sums = new Map<string, bigint>();
  for (const item of items) sums.set(key(item), (sums.get(key(item)) ?? 0n) + amount(item));
  return sums;
}

// ---------------------------------------------------------------------------------------------------------
// fast-check arbitraries: random trees, plans, orders, and refunds that together refund an order in full.

const percentText = fc.integer({ min: 0, max: 2_500 }).map((basisPoints) => {
  const whole = Math.floor(basisPoints / 100);
  const cents = basisPoints % 100;
  return cents === 0 ? String(whole) : `${whole}.${String(cents).padStart(2, "0")}`;
});

export const rateArbitrary: fc.Arbitrary<Rate> = fc.oneof(
  { weight: 4, arbitrary: percentText.map((percent): Rate => ({ kind: "percent", percent })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ amount: fc.integer({ min: 0, max: 1_000 }), currency: fc.constantFrom("USD", "USD", "USD", "EUR") })
      .map(({ amount, currency }): Rate => ({ kind: "fixed_per_unit", amountMinor: String(amount), currency })),
  },
);

export const planArbitrary: fc.Arbitrary<PlanRules> = fc
  .array(
    fc.record({
      maxDepth: fc.integer({ min: 1, max: 10 }),
      compression: fc.constantFrom("dynamic" as const, "none" as const),
      standard: fc.array(rateArbitrary, { minLength: 1, maxLength: 10 }),
      kits: fc.option(fc.array(rateArbitrary, { minLength: 1, maxLength: 10 }), { nil: null }),
    }),
    { minLength: 1, maxLength: 2 },
  )
  .map((components) =>
    parsePlanRules({
      schemaVersion: 1,
      components: components.map((component, index) => ({
        type: "unilevel",
        id: `uni-${index}`,
        maxDepth: component.maxDepth,
        compression: component.compression,
        rates: {
          standard: component.standard.slice(0, component.maxDepth),
          ...(component.kits ? { kits: component.kits.slice(0, component.maxDepth) } : {}),
        },
      })),
    }),
  );

export const uplineArbitrary: fc.Arbitrary<UplineNode[]> = fc
  .array(
    fc.record({
      status: fc.constantFrom<DistributorStatus>("active", "active", "active", "inactive", "terminated"),
      rank: fc.option(fc.constantFrom("silver", "gold"), { nil: null }),
    }),
    { maxLength: 14 },
  )
  .map((nodes) => nodes.map((node, index) => ({ distributorId: `d${index}`, sponsorDepth: 50 - index, ...node })));

const lineArbitrary = fc
  .record({
    sku: fc.constantFrom("SERUM-30", "CREAM-50", "STARTER-KIT", "UNKNOWN-SKU", null),
    quantity: fc.integer({ min: 0, max: 6 }),
    unitPriceMinor: fc.bigInt({ min: 0n, max: 250_000n }),
    discountPermille: fc.integer({ min: 0, max: 1_000 }),
    taxMinor: fc.bigInt({ min: 0n, max: 5_000n }),
  })
  .map(({ discountPermille, ...line }) => ({
    ...line,
    discountMinor: (line.unitPriceMinor * BigInt(line.quantity) * BigInt(discountPermille)) / 1_000n,
  }));

export const orderArbitrary: fc.Arbitrary<EngineOrder> = fc
  .record({
    lines: fc.array(lineArbitrary, { minLength: 1, maxLength: 6 }),
    shippingMinor: fc.bigInt({ min: 0n, max: 3_000n }),
    shippingTaxMinor: fc.bigInt({ min: 0n, max: 500n }),
  })
  .map(({ lines, shippingMinor, shippingTaxMinor }) =>
    order(
      lines.map((line, index) => orderLine(`L${index}`, line.sku, line.quantity, line.unitPriceMinor, line.discountMinor, line.taxMinor)),
      { shippingMinor, taxMinor: lines.reduce((sum, line) => sum + line.taxMinor, shippingTaxMinor) },
    ),
  );

export const settingsArbitrary: fc.Arbitrary<ShopCommissionSettings> = fc.record({
  includeShipping: fc.boolean(),
  includeTax: fc.boolean(),
});

export const evaluationInputArbitrary: fc.Arbitrary<EvaluationInput> = fc
  .record({ order: orderArbitrary, rules: planArbitrary, upline: uplineArbitrary, settings: settingsArbitrary })
  .map(({ order, rules, upline, settings }) => ({
    order,
    planVersion: { id: "plan-1", version: 1, rules },
    catalog: standardCatalog(),
    upline,
    settings,
  }));

/** Cut points (permille) per line; turned into refunds that together return every line in full. */
export const refundSplitArbitrary = fc.array(fc.array(fc.integer({ min: 0, max: 1_000 }), { maxLength: 3 }), {
  minLength: 6,
  maxLength: 6,
});

/**
 * Splits every line's net amount and quantity into consecutive partial refunds (the last one takes what is
 * left), so that all the refunds together refund the whole order.
 */
export function fullRefundInParts(engineOrder: EngineOrder, cutsPerLine: readonly (readonly number[])[]): NormalizedRefund[] {
  const parts = engineOrder.lines.map((line, index) => {
    const net = netLineAmount(line);
    const total = net > 0n ? net : 0n;
    const cuts = [...(cutsPerLine[index] ?? [])].sort((a, b) => a - b);
    const bounds = [0, ...cuts, 1_000];
    return bounds.slice(1).map((bound, part) => ({
      platformLineId: line.platformLineId,
      subtotalMinor: (total * BigInt(bound)) / 1_000n - (total * BigInt(bounds[part]!)) / 1_000n,
      // A full refund gives back the line's tax too (it is in the base when the shop counts tax).
      taxMinor: (line.taxMinor * BigInt(bound)) / 1_000n - (line.taxMinor * BigInt(bounds[part]!)) / 1_000n,
      quantity: Math.floor((line.quantity * bound) / 1_000) - Math.floor((line.quantity * bounds[part]!) / 1_000),
    }));
  });
  const refundCount = Math.max(...parts.map((lineParts) => lineParts.length));
  const orphanTax = engineOrder.taxMinor - engineOrder.lines.reduce((sum, line) => sum + line.taxMinor, 0n);
  const shippingWithTax = engineOrder.shippingMinor + (orphanTax > 0n ? orphanTax : 0n);
  return Array.from({ length: refundCount }, (_, index) =>
    refund(
      `refund-${index}`,
      parts.flatMap((lineParts) => (lineParts[index] ? [lineParts[index]] : [])),
      // ...and the shipping, with the first refund (it is in the base when the shop counts shipping).
      { platformOrderId: engineOrder.platformOrderId, currency: engineOrder.currency, shippingMinor: index === 0 ? shippingWithTax : 0n },
    ),
  );
}
