import { describe, expect, it } from "vitest";
import type { ReferralReference } from "~/domain/platforms/normalized";
import { chooseAttribution, type AttributionCandidate } from "~/domain/attribution/attribution";

const orderedAt = new Date("2026-03-01T00:00:00Z");
const before = new Date("2026-01-01T00:00:00Z");
const after = new Date("2026-04-01T00:00:00Z");
const candidate = (kind: AttributionCandidate["kind"], key: string | null, id: string, enrolledAt = before): AttributionCandidate => ({
  kind,
  key,
  distributorId: id,
  distributorCode: kind === "code" && key ? key : id.toUpperCase(),
  enrolledAt,
});
const choose = (referrals: ReferralReference[], candidates: AttributionCandidate[]) => chooseAttribution({ orderedAt, referrals }, candidates);

describe("chooseAttribution", () => {
  const cart: ReferralReference = { code: "jane-01", source: "cart_attribute" };
  const coupon: ReferralReference = { code: "spring10", source: "discount_code" };

  it("gives a buyer who is a distributor their own order, chain from their sponsor, whatever the cart carries", () => {
    expect(choose([cart], [candidate("code", "JANE01", "jane"), candidate("buyer", null, "bob")])).toEqual({
      distributorId: "bob",
      source: "buyer_is_distributor",
      code: null,
      chainStartsAboveDistributor: true,
      enrolledAt: before,
    });
  });

  it("takes the referral code before any coupon, and a mapped coupon before a coupon equal to a code", () => {
    const candidates = [candidate("code", "JANE01", "jane"), candidate("coupon", "SPRING10", "sam"), candidate("code", "SPRING10", "spring")];
    expect(choose([cart, coupon], candidates)).toMatchObject({ distributorId: "jane", source: "cart_attribute", code: "JANE01" });
    expect(choose([coupon], candidates)).toMatchObject({ distributorId: "sam", source: "discount_code_mapping", code: "SPRING10" });
    expect(choose([coupon], candidates.slice(2))).toMatchObject({ distributorId: "spring", source: "discount_code" });
  });

  it("ignores distributors enrolled after the order, and codes that cannot be codes", () => {
    expect(choose([cart], [candidate("code", "JANE01", "jane", after)])).toBeNull();
    expect(choose([cart], [candidate("buyer", null, "bob", after), candidate("code", "JANE01", "jane")])).toMatchObject({ distributorId: "jane" });
    expect(choose([{ code: "!!", source: "cart_attribute" }], [candidate("code", "JANE01", "jane")])).toBeNull();
    expect(choose([], [])).toBeNull();
  });
});
