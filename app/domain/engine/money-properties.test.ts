/**
 * Money properties across every per-order component type (issue 11 acceptance), over random orders, plans and
 * refunds (fast-check):
 *   - whatever mix of refunds returns all the buyer paid (line items in parts, shipping, amounts that name no
 *     line, tax in the base or not, shipping in or out), every commission nets to exactly 0;
 *   - after partial line refunds, what each line keeps in commission never exceeds its share of the base the
 *     buyer kept (plus half a minor unit of rounding per entry), and no entry is ever over-reversed;
 *   - the shop's company node, at the top of both chains, is never paid: its wallet stays empty;
 *   - reconciliation of the order (its platform refunds replayed, the ledger's drafts) is delta 0 exactly when
 *     nothing was dropped for a plan amount in another currency.
 * Bounded: a few hundred runs in all, a few seconds on a busy 2-core machine.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { NormalizedRefund } from "../platforms/normalized";
import { buildCommissionTransactions, buildReversalTransactions, commissionExpensePerOrder, reconcileDay, type LedgerTransactionDraft } from "../ledger";
import { checkOrderRefunds } from "../refunds/refund-gaps";
import { NOTHING_REVERSED, reversalEntryKey, reverseForRefund, type ReversalResult } from "../refunds/reversal";
import { computeCommissionBases, netLineAmount } from "./commission-base";
import { droppedByCurrencyMismatch } from "./dropped-money";
import { evaluate } from "./evaluate";
import { parsePlanRules, type PlanRules, type Rate } from "./plan-schema";
import type { EngineOrder, EvaluationInput, EvaluationResult, PlacementUplineNode, UplineNode } from "./types";
import { orderArbitrary, refund, settingsArbitrary, standardCatalog } from "~test/support/engine";

const RUNS = { numRuns: 150 };
const COMPANY = "company";

const percent = fc
  .integer({ min: 0, max: 2_500 })
  .map((bp) => (bp % 100 === 0 ? String(bp / 100) : `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, "0")}`));
const currency = fc.constantFrom("USD", "USD", "USD", "EUR");
const firstRate: fc.Arbitrary<Rate> = fc.oneof(
  { weight: 4, arbitrary: percent.map((value): Rate => ({ kind: "percent", percent: value })) },
  {
    weight: 2,
    arbitrary: fc
      .record({ amount: fc.integer({ min: 0, max: 1_000 }), currency })
      .map(({ amount, currency }): Rate => ({ kind: "fixed_per_unit", amountMinor: String(amount), currency })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ amount: fc.integer({ min: 0, max: 3_000 }), currency })
      .map(({ amount, currency }): Rate => ({ kind: "fixed_per_order", amountMinor: String(amount), currency })),
  },
);
const laterRate: fc.Arbitrary<Rate> = fc.oneof(
  { weight: 4, arbitrary: firstRate },
  {
    weight: 1,
    arbitrary: fc
      .record({ value: percent, of: fc.constantFrom("level_below" as const, "level_1" as const) })
      .map(({ value, of }): Rate => ({ kind: "percent_of_commission", percent: value, of })),
  },
);
const levelRates = (max: number) => fc.tuple(firstRate, fc.array(laterRate, { maxLength: max - 1 })).map(([first, rest]) => [first, ...rest]);

const componentArbitrary = fc.oneof(
  fc
    .record({ depth: fc.integer({ min: 1, max: 6 }), compression: fc.constantFrom("dynamic", "none"), standard: levelRates(6), kits: levelRates(6) })
    .map((c) => ({
      type: "unilevel",
      maxDepth: c.depth,
      compression: c.compression,
      rates: { standard: c.standard.slice(0, c.depth), kits: c.kits.slice(0, c.depth) },
    })),
  fc
    .record({
      width: fc.integer({ min: 2, max: 3 }),
      depth: fc.integer({ min: 1, max: 5 }),
      compression: fc.constantFrom("dynamic", "none"),
      standard: levelRates(5),
    })
    .map((c) => ({
      type: "matrix",
      width: c.width,
      depth: c.depth,
      compression: c.compression,
      rates: { standard: c.standard.slice(0, c.depth), kits: c.standard.slice(0, c.depth) },
    })),
  fc
    .record({ compression: fc.constantFrom("dynamic", "none"), standard: levelRates(3) })
    .map((c) => ({ type: "fast_start", windowDays: 60, compression: c.compression, rates: { standard: c.standard, kits: c.standard } })),
);

const planArbitrary: fc.Arbitrary<PlanRules> = fc
  .record({
    components: fc.array(componentArbitrary, { minLength: 1, maxLength: 3 }),
    rounding: fc.constantFrom(undefined, "half_even", "half_up", "toward_zero"),
  })
  .map(({ components, rounding }) =>
    parsePlanRules({
      schemaVersion: 1,
      ...(rounding ? { rounding } : {}),
      components: components.map((component, index) => ({ ...component, id: `c${index}` })),
    }),
  );

/** Distributors d0 (the attributed one) upward, the company node at the top of both chains. */
const chainsArbitrary = fc
  .array(fc.constantFrom("active" as const, "active" as const, "active" as const, "inactive" as const), { maxLength: 8 })
  .map((statuses) => {
    const upline: UplineNode[] = [
      ...statuses.map((status, index) => ({ distributorId: `d${index}`, status, sponsorDepth: 20 - index })),
      { distributorId: COMPANY, status: "active", sponsorDepth: 0, company: true },
    ];
    const placementUpline: PlacementUplineNode[] = upline.map((node, index) => ({
      distributorId: node.distributorId,
      status: node.status,
      placementDepth: 20 - index,
      ...(node.company ? { placementDepth: 0, company: true } : {}),
    }));
    return { upline, placementUpline };
  });

const inputArbitrary: fc.Arbitrary<EvaluationInput> = fc
  .record({
    order: orderArbitrary,
    orderCurrency: fc.constantFrom("USD", "USD", "EUR"),
    plan: planArbitrary,
    chains: chainsArbitrary,
    settings: settingsArbitrary,
    buyer: fc.boolean(),
  })
  .map(({ order, orderCurrency, plan, chains, settings, buyer }) => ({
    order: { ...order, currency: orderCurrency },
    planVersion: { id: "plan", version: 1, rules: plan },
    catalog: standardCatalog(),
    ...chains,
    settings,
    // A recruit buying in their fast-start window: fast-start pays their sponsor line.
    buyer: buyer ? { distributorId: "recruit", enrolledAt: "2026-02-20T00:00:00Z" } : null,
  }));

/** What the buyer paid: line nets, all tax, shipping (what the reversal's money count uses). */
function paidMoney(order: EngineOrder): bigint {
  return order.lines.reduce((sum, line) => sum + (netLineAmount(line) > 0n ? netLineAmount(line) : 0n), 0n) + order.taxMinor + order.shippingMinor;
}

/**
 * A random way to return everything: each line in full as line items (in up to three parts) or not at all, the
 * shipping as such or not, and whatever money is left as an amount that names no line, last.
 */
const fullRefundPlanArbitrary = fc.record({
  itemised: fc.array(fc.record({ asItems: fc.boolean(), cuts: fc.array(fc.integer({ min: 0, max: 1_000 }), { maxLength: 2 }) }), {
    minLength: 6,
    maxLength: 6,
  }),
  shippingAsSuch: fc.boolean(),
  amountOnlyParts: fc.integer({ min: 1, max: 3 }),
});

function fullRefunds(
  order: EngineOrder,
  plan: { itemised: { asItems: boolean; cuts: number[] }[]; shippingAsSuch: boolean; amountOnlyParts: number },
): NormalizedRefund[] {
  const refunds: NormalizedRefund[] = [];
  let returned = 0n;
  const base = { platformOrderId: order.platformOrderId, currency: order.currency };
  order.lines.forEach((line, index) => {
    const choice = plan.itemised[index]!;
    if (!choice.asItems) return;
    const net = netLineAmount(line) > 0n ? netLineAmount(line) : 0n;
    const bounds = [0, ...[...choice.cuts].sort((a, b) => a - b), 1_000];
    bounds.slice(1).forEach((bound, part) => {
      const share = (total: bigint) => (total * BigInt(bound)) / 1_000n - (total * BigInt(bounds[part]!)) / 1_000n;
      const quantity = Math.floor((line.quantity * bound) / 1_000) - Math.floor((line.quantity * bounds[part]!) / 1_000);
      const lineRefund = { platformLineId: line.platformLineId, quantity, subtotalMinor: share(net), taxMinor: share(line.taxMinor) };
      returned += lineRefund.subtotalMinor + lineRefund.taxMinor;
      refunds.push(refund(`line-${index}-${part}`, [lineRefund], { ...base, totalMinor: lineRefund.subtotalMinor + lineRefund.taxMinor }));
    });
  });
  if (plan.shippingAsSuch && order.shippingMinor > 0n) {
    returned += order.shippingMinor;
    refunds.push(refund("shipping", [], { ...base, shippingMinor: order.shippingMinor, totalMinor: order.shippingMinor }));
  }
  let rest = paidMoney(order) - returned;
  for (let part = plan.amountOnlyParts; part >= 1 && rest > 0n; part--) {
    const amount = part === 1 ? rest : rest / 2n;
    if (amount <= 0n) continue;
    rest -= amount;
    refunds.push(refund(`amount-${part}`, [], { ...base, unattributedMinor: amount, totalMinor: amount }));
  }
  return refunds;
}

function applyAll(original: EvaluationResult, refunds: readonly NormalizedRefund[]): ReversalResult[] {
  let progress = NOTHING_REVERSED;
  return refunds.map((one) => {
    const result = reverseForRefund({ original, refund: one, progress });
    progress = result.progress;
    return result;
  });
}

function netPerEntry(original: EvaluationResult, reversals: readonly ReversalResult[]): Map<string, bigint> {
  const net = new Map(original.lines.map((line) => [reversalEntryKey(line), line.amountMinor]));
  for (const line of reversals.flatMap((reversal) => reversal.lines)) {
    expect(line.amountMinor).toBeLessThan(0n);
    const key = reversalEntryKey(line);
    net.set(key, net.get(key)! + line.amountMinor);
    // Never more taken back than was paid.
    expect(net.get(key)!).toBeGreaterThanOrEqual(0n);
  }
  return net;
}

function ledgerDrafts(original: EvaluationResult, reversals: readonly ReversalResult[]): LedgerTransactionDraft[] {
  return [
    ...buildCommissionTransactions({ shopId: "shop", evaluation: original }),
    ...reversals.flatMap((reversal) => buildReversalTransactions({ shopId: "shop", reversal })),
  ];
}

describe("money properties of every per-order component type", () => {
  it("any mix of refunds that returns all the buyer paid nets every commission to exactly 0", () => {
    fc.assert(
      fc.property(inputArbitrary, fullRefundPlanArbitrary, (input, refundPlan) => {
        const original = evaluate(input);
        const reversals = applyAll(original, fullRefunds(input.order, refundPlan));
        for (const [, amount] of netPerEntry(original, reversals)) expect(amount).toBe(0n);
      }),
      RUNS,
    );
  });

  it("after partial line refunds a line keeps no more than its share of the base the buyer kept", () => {
    fc.assert(
      fc.property(
        inputArbitrary,
        fc.array(fc.record({ line: fc.nat(), permille: fc.integer({ min: 0, max: 1_000 }) }), { minLength: 1, maxLength: 4 }),
        (input, cuts) => {
          const original = evaluate(input);
          const bases = computeCommissionBases(input.order, input.settings);
          const refunded = new Map<string, { money: bigint; tax: bigint; quantity: number }>();
          const refunds = cuts.map(({ line, permille }, index) => {
            const orderLine = input.order.lines[line % input.order.lines.length]!;
            const net = netLineAmount(orderLine) > 0n ? netLineAmount(orderLine) : 0n;
            const so = refunded.get(orderLine.platformLineId) ?? { money: 0n, tax: 0n, quantity: 0 };
            const subtotalMinor = ((net - so.money) * BigInt(permille)) / 1_000n;
            const taxMinor = ((orderLine.taxMinor - so.tax) * BigInt(permille)) / 1_000n;
            const quantity = Math.floor(((orderLine.quantity - so.quantity) * permille) / 1_000);
            refunded.set(orderLine.platformLineId, { money: so.money + subtotalMinor, tax: so.tax + taxMinor, quantity: so.quantity + quantity });
            return refund(`r${index}`, [{ platformLineId: orderLine.platformLineId, quantity, subtotalMinor, taxMinor }], {
              platformOrderId: input.order.platformOrderId,
              currency: input.order.currency,
            });
          });
          const reversals = applyAll(original, refunds);
          const net = netPerEntry(original, reversals);
          for (const base of bases) {
            const entries = original.lines.filter((line) => line.orderLineId === base.orderLineId);
            if (entries.length === 0) continue;
            const paid = entries.reduce((sum, line) => sum + line.amountMinor, 0n);
            const kept = entries.reduce((sum, line) => sum + net.get(reversalEntryKey(line))!, 0n);
            const so = refunded.get(base.orderLineId) ?? { money: 0n, tax: 0n, quantity: 0 };
            const quantity = input.order.lines.find((line) => line.platformLineId === base.orderLineId)!.quantity;
            // The kept fraction of the line's base (by quantity for a line whose base is 0), computed here from the
            // refunds alone: kept ≤ paid × keptBase / base + ½ per entry.
            const [keptPart, whole] =
              base.baseMinor > 0n
                ? [base.baseMinor - min(base.baseMinor, so.money + (input.settings.includeTax ? so.tax : 0n)), base.baseMinor]
                : quantity > 0
                  ? [BigInt(Math.max(quantity - so.quantity, 0)), BigInt(quantity)]
                  : [1n, 1n]; // nothing to measure a share of: at most what it paid
            expect(2n * kept * whole).toBeLessThanOrEqual(2n * paid * keptPart + BigInt(entries.length) * whole);
          }
        },
      ),
      RUNS,
    );
  });

  it("never pays the company node, per order, whatever the plan and refunds: its wallet stays empty", () => {
    fc.assert(
      fc.property(inputArbitrary, fullRefundPlanArbitrary, (input, refundPlan) => {
        const original = evaluate(input);
        expect(original.lines.filter((line) => line.distributorId === COMPANY)).toEqual([]);
        const reversals = applyAll(original, fullRefunds(input.order, refundPlan).slice(0, 2));
        const companyPostings = ledgerDrafts(original, reversals)
          .flatMap((draft) => draft.postings)
          .filter((posting) => posting.account.endsWith(`:${COMPANY}`));
        expect(companyPostings).toEqual([]);
      }),
      RUNS,
    );
  });

  it("reconciliation reports delta 0 exactly when nothing was dropped", () => {
    fc.assert(
      fc.property(inputArbitrary, fullRefundPlanArbitrary, fc.integer({ min: 0, max: 6 }), (input, refundPlan, howMany) => {
        const original = evaluate(input);
        const refunds = fullRefunds(input.order, refundPlan).slice(0, howMany);
        const reversals = applyAll(original, refunds);
        const returned = refunds.reduce((sum, one) => sum + one.totalMinor, 0n);
        const check = checkOrderRefunds(
          original,
          original.totals.paidMinor,
          refunds.map((one, index) => ({
            key: one.platformRefundId,
            totalMinor: one.totalMinor,
            refund: one,
            stored: { status: "applied", reversedMinor: reversals[index]!.lines.reduce((sum, line) => sum + line.amountMinor, 0n) },
          })),
          paidMoney(input.order) > 0n && returned >= paidMoney(input.order),
        );
        expect(check.gaps).toEqual([]);
        const dropped = droppedByCurrencyMismatch(original);
        const day = reconcileDay(
          [{ orderId: original.orderId, currency: original.currency, amountMinor: check.expectedNetMinor }],
          commissionExpensePerOrder(ledgerDrafts(original, reversals)),
          dropped.map((amount) => ({ orderId: original.orderId, currency: amount.currency, amountMinor: amount.amountMinor })),
        );
        expect(day.balanced).toBe(dropped.length === 0);
        expect(day.totals.every((total) => total.deltaMinor === 0n)).toBe(dropped.length === 0);
      }),
      RUNS,
    );
  });
});

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
