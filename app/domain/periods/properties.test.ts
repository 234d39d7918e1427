/**
 * Properties of the period close over random trees, volumes, carry and plans (fast-check).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { closePeriod } from "./close";
import { periodInputFromSnapshot, periodResultToJson } from "./snapshot";
import { APRIL, closeInput, periodPlan } from "~test/support/periods";
import { placementAncestors, indexTrees } from "./trees";
import type { BinarySide, PeriodCloseInput, PeriodDistributor } from "./types";

const RUNS = { numRuns: 200 };

/**
 * A random genealogy of n distributors: each one's sponsor is an earlier one; they are placed in the sponsor's
 * chosen leg at its extreme outside (the binary spillover rule), so the placement tree always differs from the
 * sponsor tree in the interesting way.
 */
const genealogyArbitrary = fc
  .array(
    fc.record({
      sponsor: fc.nat(),
      side: fc.constantFrom<BinarySide>("left", "right"),
      status: fc.constantFrom<PeriodDistributor["status"]>("active", "active", "active", "inactive"),
      pv: fc.integer({ min: 0, max: 800 }),
    }),
    { minLength: 1, maxLength: 40 },
  )
  .map((nodes) => {
    const slots = new Map<string, { left?: string; right?: string }>();
    const distributors: PeriodDistributor[] = nodes.map((node, index) => {
      const id = `d${index}`;
      if (index === 0) return { distributorId: id, sponsorId: null, placement: null, status: node.status };
      const sponsorId = `d${node.sponsor % index}`;
      let parentId = sponsorId;
      while (slots.get(parentId)?.[node.side] !== undefined) parentId = slots.get(parentId)![node.side]!;
      slots.set(parentId, { ...slots.get(parentId), [node.side]: id });
      return { distributorId: id, sponsorId, placement: { parentId, side: node.side }, status: node.status };
    });
    const volumes = nodes.map((node, index) => ({ distributorId: `d${index}`, pvHundredths: BigInt(node.pv * 100), cvHundredths: BigInt(node.pv * 50) }));
    return { distributors, volumes };
  });

const binaryArbitrary = fc.record({
  pairVolume: fc.constantFrom("50", "100", "150.5"),
  firstPair: fc.constantFrom("1:1", "1:2_or_2:1"),
  carry: fc.oneof(
    fc.constant({ mode: "flush" }),
    fc.constant({ mode: "carry" }),
    fc.integer({ min: 0, max: 3_000 }).map((max) => ({ mode: "carry", maxPoints: String(max) })),
  ),
  cap: fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: null }),
});

type BinaryOptions = { pairVolume: string; firstPair: string; carry: { mode: string; maxPoints?: string }; cap: number | null };

function planOf(binary: BinaryOptions, extra: Record<string, unknown> = {}) {
  return periodPlan(
    [
      { type: "unilevel", id: "uni", maxDepth: 1, compression: "dynamic", rates: { standard: [{ kind: "percent", percent: "10" }] } },
      {
        type: "binary",
        id: "binary",
        volume: "pv",
        pairVolume: binary.pairVolume,
        payout: { kind: "per_pair", amountMinor: "1000", currency: "USD" },
        firstPair: binary.firstPair,
        carry: binary.carry,
        ...(binary.cap === null ? {} : { capPerPeriod: { amountMinor: String(binary.cap), currency: "USD" } }),
      },
      {
        type: "rank",
        id: "ranks",
        volume: "pv",
        activeLegMinPersonalVolume: "10",
        ranks: [{ id: "gold", personalVolume: "100", groupVolume: "500", maxLegPercent: "60", activeLegs: 1 }],
      },
      {
        type: "matching",
        id: "match",
        matches: ["uni", "binary"],
        compression: "dynamic",
        generations: [{ percent: "10" }, { percent: "5", minRank: "gold" }],
      },
    ],
    extra,
  );
}

const earningsArbitrary = fc.array(fc.record({ who: fc.nat(), amount: fc.integer({ min: 0, max: 50_000 }) }), { maxLength: 20 });

function inputOf(
  genealogy: { distributors: PeriodDistributor[]; volumes: PeriodCloseInput["volumes"] },
  plan: ReturnType<typeof planOf>,
  earnings: { who: number; amount: number }[] = [],
): PeriodCloseInput {
  const n = genealogy.distributors.length;
  return closeInput({
    planVersion: plan,
    distributors: genealogy.distributors,
    volumes: genealogy.volumes,
    earnings: earnings.map(({ who, amount }) => ({ distributorId: `d${who % n}`, rule: "uni", amountMinor: BigInt(amount), currency: "USD" })),
  });
}

describe("period close properties", () => {
  it("binary carry is never negative and never above the plan's cap, over two consecutive periods", () => {
    fc.assert(
      fc.property(genealogyArbitrary, genealogyArbitrary, binaryArbitrary, (march, april, binary) => {
        const plan = planOf(binary);
        const first = closePeriod(inputOf(march, plan));
        // April reuses March's tree with April's volumes (same ids where both exist).
        const aprilVolumes = april.volumes.filter((volume) => march.distributors.some((d) => d.distributorId === volume.distributorId));
        const second = closePeriod({ ...inputOf(march, plan), period: APRIL, volumes: aprilVolumes, binaryCarry: first.carry.binary });
        const cap = binary.carry.mode === "carry" && "maxPoints" in binary.carry ? BigInt(Number(binary.carry.maxPoints) * 100) : null;
        for (const state of [...first.carry.binary, ...second.carry.binary]) {
          for (const side of [state.left, state.right]) {
            for (const lot of side) expect(lot.hundredths).toBeGreaterThan(0n);
            const total = side.reduce((sum, lot) => sum + lot.hundredths, 0n);
            if (binary.carry.mode === "flush") expect(total).toBe(0n);
            if (cap !== null) expect(total).toBeLessThanOrEqual(cap);
          }
        }
        for (const row of second.binary) {
          if (binary.cap !== null) expect(row.paidMinor).toBeLessThanOrEqual(BigInt(binary.cap));
          expect(row.consumedLeft).toBeLessThanOrEqual(row.leftHundredths + row.carriedInLeft);
          expect(row.consumedRight).toBeLessThanOrEqual(row.rightHundredths + row.carriedInRight);
        }
      }),
      RUNS,
    );
  });

  it("matching never pays on the matcher's own earnings, and only on sponsor-line downlines", () => {
    fc.assert(
      fc.property(genealogyArbitrary, binaryArbitrary, earningsArbitrary, (genealogy, binary, earnings) => {
        const result = closePeriod(inputOf(genealogy, planOf(binary), earnings));
        const sponsorOf = new Map(genealogy.distributors.map((d) => [d.distributorId, d.sponsorId]));
        for (const line of result.lines) {
          if (line.detail.type !== "matching") continue;
          expect(line.detail.sourceDistributorId).not.toBe(line.distributorId);
          const uplines: string[] = [];
          for (let up = sponsorOf.get(line.detail.sourceDistributorId) ?? null; up !== null; up = sponsorOf.get(up) ?? null) uplines.push(up);
          expect(uplines).toContain(line.distributorId);
        }
      }),
      RUNS,
    );
  });

  it("closing is deterministic and idempotent: twice, from its snapshot, or with rows in another order → the same lines and keys", () => {
    fc.assert(
      fc.property(genealogyArbitrary, binaryArbitrary, earningsArbitrary, (genealogy, binary, earnings) => {
        const input = inputOf(genealogy, planOf(binary), earnings);
        const first = closePeriod(input);
        expect(periodResultToJson(closePeriod(input))).toBe(periodResultToJson(first));
        expect(periodResultToJson(closePeriod(periodInputFromSnapshot(JSON.parse(JSON.stringify(first.snapshot)))))).toBe(periodResultToJson(first));
        const reordered = closePeriod({ ...input, distributors: [...input.distributors].reverse(), volumes: [...input.volumes].reverse() });
        expect(periodResultToJson({ ...reordered, snapshot: null })).toBe(periodResultToJson({ ...first, snapshot: null }));
        const keys = first.totals.map((total) => total.idempotencyKey);
        expect(new Set(keys).size).toBe(keys.length);
      }),
      RUNS,
    );
  });

  it("a refund inside the period lowers that period's leg volume, on every placement upline's side, by exactly the refunded volume", () => {
    fc.assert(
      fc.property(genealogyArbitrary, binaryArbitrary, fc.nat(), fc.integer({ min: 0, max: 1_000 }), (genealogy, binary, who, permille) => {
        const input = inputOf(genealogy, planOf(binary));
        const refunded = genealogy.volumes[who % genealogy.volumes.length]!;
        const amount = (refunded.pvHundredths * BigInt(permille)) / 1_000n;
        const before = closePeriod(input);
        const after = closePeriod({
          ...input,
          volumeAdjustments: [{ distributorId: refunded.distributorId, originPeriodKey: input.period.key, pvHundredths: amount, cvHundredths: 0n }],
        });
        const legs = (result: typeof before) =>
          new Map(result.binary.map((row) => [row.distributorId, { left: row.leftHundredths, right: row.rightHundredths }]));
        const legsBefore = legs(before);
        const legsAfter = legs(after);
        const expected = new Map<string, BinarySide>();
        for (const { ancestorId, side } of placementAncestors(indexTrees(input.distributors), refunded.distributorId)) expected.set(ancestorId, side);
        for (const distributor of genealogy.distributors) {
          const id = distributor.distributorId;
          const was = legsBefore.get(id) ?? { left: 0n, right: 0n };
          const now = legsAfter.get(id) ?? { left: 0n, right: 0n };
          const side = expected.get(id);
          expect(was.left - now.left).toBe(side === "left" ? amount : 0n);
          expect(was.right - now.right).toBe(side === "right" ? amount : 0n);
        }
      }),
      RUNS,
    );
  });

  it("never pays more than the plan's max payout share: per-order earnings plus period lines stay within it", () => {
    fc.assert(
      fc.property(
        genealogyArbitrary,
        binaryArbitrary,
        earningsArbitrary,
        fc.integer({ min: 0, max: 2_000_000 }),
        fc.integer({ min: 10, max: 60 }),
        (genealogy, binary, earnings, sales, percent) => {
          const input = { ...inputOf(genealogy, planOf(binary, { maxPayoutPercent: String(percent) }), earnings), salesBaseMinor: BigInt(sales) };
          const result = closePeriod(input);
          const perOrder = input.earnings.reduce((sum, earning) => sum + earning.amountMinor, 0n);
          const period = result.lines.reduce((sum, line) => sum + line.amountMinor, 0n);
          const cap = (BigInt(sales) * BigInt(percent)) / 100n;
          // Per-order commissions are paid when each order is evaluated; the close never adds beyond the share.
          expect(perOrder + period).toBeLessThanOrEqual(perOrder > cap ? perOrder : cap);
          for (const line of result.lines) expect(line.amountMinor).toBeGreaterThan(0n);
        },
      ),
      RUNS,
    );
  });
});
