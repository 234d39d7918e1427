import { describe, expect, it } from "vitest";
import type { ReferralReference } from "~/domain/platforms/normalized";
import { chooseAttribution, decideAttribution, type AttributionCandidate } from "~/domain/attribution/attribution";

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

describe("a provisional buyer (ADR 0008)", () => {
  const cart: ReferralReference = { code: "jane-01", source: "cart_attribute" };
  const coupon: ReferralReference = { code: "spring10", source: "discount_code" };
  const until = new Date("2026-03-15T00:00:00Z");
  const provisionalBuyer = (provisionalUntil: Date | null, sponsorId = "company"): AttributionCandidate => ({
    ...candidate("buyer", null, "bob"),
    provisionalUntil,
    sponsorId,
  });

  it("takes the sponsor from the first referred order in the window, from the millisecond after enrolment", () => {
    const decision = decideAttribution({ orderedAt, referrals: [cart] }, [candidate("code", "JANE01", "jane"), provisionalBuyer(until)]);
    expect(decision.attribution).toEqual({
      distributorId: "bob",
      source: "provisional_sponsor_set",
      code: "JANE01",
      chainStartsAboveDistributor: true,
      enrolledAt: before,
      sponsorChange: { newSponsorId: "jane", newSponsorCode: "JANE01", via: "cart_attribute", effectiveFrom: new Date(before.getTime() + 1) },
    });
    expect(decision.reason).toMatch(/^provisional_sponsor_set: .*JANE01 their sponsor/);
  });

  it("takes it from an affiliate's mapped coupon, from the affiliate's enrolment when they joined after the buyer", () => {
    const janeJoined = new Date("2026-02-01T00:00:00Z");
    const { attribution } = decideAttribution({ orderedAt, referrals: [coupon] }, [
      candidate("coupon", "SPRING10", "jane", janeJoined),
      provisionalBuyer(until),
    ]);
    expect(attribution?.sponsorChange).toEqual({ newSponsorId: "jane", newSponsorCode: "JANE", via: "discount_code_mapping", effectiveFrom: janeJoined });
    expect(attribution?.code).toBe("SPRING10");
  });

  it("keeps the own-purchase rule outside the window, without a code, for the current sponsor's code, and for established distributors", () => {
    const jane = candidate("code", "JANE01", "jane");
    const cases = [
      { buyer: provisionalBuyer(new Date("2026-02-28T23:59:59Z")), referrals: [cart], why: /window closed/ },
      { buyer: provisionalBuyer(until), referrals: [], why: /no referral code or coupon/ },
      { buyer: provisionalBuyer(until, "jane"), referrals: [cart], why: /names their sponsor already/ },
      { buyer: provisionalBuyer(null), referrals: [cart], why: /established distributor/ },
    ];
    for (const { buyer, referrals, why } of cases) {
      const decision = decideAttribution({ orderedAt, referrals }, [jane, buyer]);
      expect(decision.attribution).toMatchObject({ distributorId: "bob", source: "buyer_is_distributor", code: null });
      expect(decision.attribution?.sponsorChange).toBeUndefined();
      expect(decision.reason).toMatch(why);
    }
  });

  it("never makes a buyer their own sponsor through their own code", () => {
    const own = { ...candidate("code", "BOB", "bob") };
    const decision = decideAttribution({ orderedAt, referrals: [{ code: "bob", source: "cart_attribute" }] }, [own, provisionalBuyer(until)]);
    expect(decision.attribution).toMatchObject({ source: "buyer_is_distributor" });
  });

  it("says why nobody was attributed", () => {
    expect(decideAttribution({ orderedAt, referrals: [] }, []).reason).toMatch(/^no_match: .*no referral code or coupon/);
    expect(decideAttribution({ orderedAt, referrals: [cart] }, []).reason).toMatch(/^no_match: .*cart_attribute "jane-01"/);
  });
});

describe("the Web Pixel's report (rule 4)", () => {
  const pixel = (id: string, code: string): AttributionCandidate => ({ ...candidate("pixel", code, id), distributorCode: code });

  it("attributes an order that carries no code or coupon of its own, and only such an order", () => {
    expect(decideAttribution({ orderedAt, referrals: [] }, [pixel("jane", "JANE01")])).toMatchObject({
      attribution: { distributorId: "jane", source: "web_pixel", code: "JANE01", chainStartsAboveDistributor: false },
      reason: expect.stringMatching(/^web_pixel: /),
    });
    const cart: ReferralReference = { code: "SAM", source: "cart_attribute" };
    expect(chooseAttribution({ orderedAt, referrals: [cart] }, [pixel("jane", "JANE01"), candidate("code", "SAM", "sam")])).toMatchObject({
      distributorId: "sam",
    });
  });

  it("never counts for a buyer who is a distributor, provisional or not: it cannot move a sponsor", () => {
    const provisional = { ...candidate("buyer", null, "bob"), provisionalUntil: new Date("2026-03-15T00:00:00Z"), sponsorId: "company" };
    const decision = decideAttribution({ orderedAt, referrals: [] }, [pixel("jane", "JANE01"), provisional]);
    expect(decision.attribution).toMatchObject({ distributorId: "bob", source: "buyer_is_distributor" });
    expect(decision.attribution?.sponsorChange).toBeUndefined();
  });
});
