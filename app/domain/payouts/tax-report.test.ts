import { describe, expect, it } from "vitest";
import { necThresholdCents, payeeFlags, taxReportLines, type PaidTotal } from "./tax-report";

const paid = (distributorId: string, method: PaidTotal["method"], totalMinor: bigint, over: Partial<PaidTotal> = {}): PaidTotal => ({
  distributorId,
  code: distributorId.toUpperCase(),
  name: null,
  email: null,
  taxFormStatus: "not_collected",
  method,
  currency: "USD",
  items: 1,
  totalMinor,
  ...over,
});

describe("tax report (1099-NEC)", () => {
  it("uses $600 up to 2025 and $2,000 for payments made from 2026", () => {
    expect([necThresholdCents(2024), necThresholdCents(2025), necThresholdCents(2026), necThresholdCents(2027)]).toEqual([
      60_000n,
      60_000n,
      200_000n,
      200_000n,
    ]);
  });

  it("counts only USD paid by bank and store credit, at or over the threshold; a W-9 on file needs no action", () => {
    const flags = payeeFlags(2026, [
      paid("a", "bank", 100_000n),
      paid("a", "store_credit", 99_999n), // 1,999.99: one cent short
      paid("b", "bank", 200_000n), // exactly 2,000.00
      paid("c", "paypal", 900_000n),
      paid("c", "stripe", 900_000n), // processors report these (1099-K)
      paid("d", "bank", 300_000n, { currency: "EUR" }), // never converted: not counted
      paid("e", "store_credit", 250_000n, { taxFormStatus: "collected" }),
    ]);
    expect([...flags.values()].map((f) => [f.distributorId, f.merchantReportedCents, f.overThreshold, f.actionNeeded])).toEqual([
      ["a", 199_999n, false, false],
      ["b", 200_000n, true, true],
      ["c", 0n, false, false],
      ["d", 0n, false, false],
      ["e", 250_000n, true, false],
    ]);
  });

  it("writes one line per payee, method and currency, ordered, formula-safe", () => {
    const lines = taxReportLines(2025, [paid("z", "bank", 60_000n, { name: "=HYPERLINK()" }), paid("a", "paypal", 1n, { currency: "JPY" })]);
    expect(lines).toEqual([
      "year,distributor_id,distributor_code,name,email,method,reported_by,currency,payments,total,payee_merchant_reported_usd,nec_threshold_usd,over_nec_threshold,tax_form_status,action_needed\r\n",
      "2025,a,A,,,paypal,processor_1099_k,JPY,1,1,0.00,600.00,no,not_collected,\r\n",
      "2025,z,Z,'=HYPERLINK(),,bank,merchant_1099_nec,USD,1,600.00,600.00,600.00,yes,not_collected,collect_w9\r\n",
    ]);
  });
});
