/**
 * The builder both the real close and the what-if feed their orders to: whose volume an order is.
 */
import { describe, expect, it } from "vitest";
import { evaluate } from "../engine";
import { EXCLUDE_SHIPPING_AND_TAX, chain, order, orderLine, standardCatalog } from "~test/support/engine";
import { orderVolumeOwner, PeriodOrderInputsBuilder } from "./order-inputs";
import { BINARY, MARCH, periodPlan } from "~test/support/periods";

const binaryOnly = periodPlan([BINARY]);
const sale = (upline: ReturnType<typeof chain>, buyer: { distributorId: string; enrolledAt: string } | null = null) =>
  evaluate({
    order: order([orderLine("line", "CREAM-50", 1, 30_000n)], { orderedAt: "2026-03-10T00:00:00Z" }),
    planVersion: binaryOnly,
    catalog: standardCatalog(),
    upline,
    settings: EXCLUDE_SHIPPING_AND_TAX,
    ...(buyer ? { buyer } : {}),
  });

describe("PeriodOrderInputsBuilder", () => {
  it("credits the volume of a period-only plan's order to the attributed distributor (upline[0]) or the buying distributor", () => {
    const builder = new PeriodOrderInputsBuilder(MARCH, "USD");
    builder.addOrder(sale(chain("L", "S")));
    builder.addOrder(sale(chain("S"), { distributorId: "B", enrolledAt: "2026-01-01T00:00:00Z" }));
    const inputs = builder.build();
    expect(inputs.volumes.map((volume) => [volume.distributorId, volume.pvHundredths])).toEqual([
      ["L", 30_000n],
      ["B", 30_000n],
    ]);
    expect(inputs.earnings).toEqual([]);
    expect(inputs.orders).toBe(2);
  });

  it("falls back to the recorded attribution only for a snapshot stored without upline or buyer", () => {
    expect(orderVolumeOwner(sale([]), "X")).toBe("X");
    expect(orderVolumeOwner(sale(chain("L")), "X")).toBe("L");
    expect(orderVolumeOwner(sale([]))).toBeNull();
  });
});
