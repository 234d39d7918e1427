/**
 * Schemas of the components computed when a period closes (app/domain/periods): binary pairing, rank
 * qualification, matching and rank advancement. They need the version's `period` schedule.
 */
import { z } from "zod";
import {
  compressionSchema,
  currencySchema,
  minorUnitsTextSchema,
  moneyAmountSchema,
  percentTextSchema,
  rankIdSchema,
  ruleIdSchema,
  volumePointsSchema,
} from "./schema-atoms";
import { binaryBasisSchema, checkBinaryVariant, maxCyclesSchema } from "./binary-variant-schemas";

export const MAX_MATCHING_GENERATIONS = 20;

const volumeKindSchema = z.enum(["pv", "cv"], { error: 'must be "pv" or "cv"' });
const positivePointsSchema = volumePointsSchema.refine((text) => /[1-9]/.test(text), { error: "must be more than 0" });

/**
 * Binary: each period the volume that entered each placement leg is paired, weaker leg against stronger.
 * `pairVolume` points from each side make one pair (one cycle); the first pair may need 1:2 or 2:1.
 * Payout is a fixed amount per pair, or a percent of the paired (weaker-leg) volume where one point counts as
 * one major currency unit. Unpaired volume carries to the next period as lots (capped per leg), or is flushed.
 */
export const binaryComponentSchema = z
  .strictObject({
    type: z.literal("binary"),
    id: ruleIdSchema,
    volume: volumeKindSchema,
    pairVolume: positivePointsSchema,
    payout: z.discriminatedUnion(
      "kind",
      [
        z.strictObject({ kind: z.literal("per_pair"), amountMinor: minorUnitsTextSchema, currency: currencySchema }),
        z.strictObject({ kind: z.literal("percent_of_pair_volume"), percent: percentTextSchema }),
      ],
      { error: (issue) => (issue.code === "invalid_union" ? 'must be "per_pair" or "percent_of_pair_volume"' : undefined) },
    ),
    /** "1:2_or_2:1": a distributor's first pair ever needs one pairVolume on one side and two on the other. */
    firstPair: z.enum(["1:1", "1:2_or_2:1"], { error: 'must be "1:1" or "1:2_or_2:1"' }),
    carry: z.discriminatedUnion(
      "mode",
      [
        z.strictObject({ mode: z.literal("flush") }),
        /** `maxPoints`: the most each leg may carry; older lots beyond it are flushed first. */
        z.strictObject({ mode: z.literal("carry"), maxPoints: volumePointsSchema.optional() }),
      ],
      { error: (issue) => (issue.code === "invalid_union" ? 'must be {"mode": "flush"} or {"mode": "carry"}' : undefined) },
    ),
    /** The most one distributor earns from this component in one period; pairs beyond it are breakage. */
    capPerPeriod: moneyAmountSchema.optional(),
    /**
     * What is paid on (binary-variants.ts): "weak_leg" (the default when absent) pairs the weaker leg against
     * the stronger; "strong_minus_weak" pays on the difference, the stronger leg's volume beyond the weaker's.
     */
    basis: binaryBasisSchema.optional(),
    /** The most cycles (pairs) paid per distributor and period; the volume of cycles beyond it is flushed, unpaid. */
    maxCyclesPerPeriod: maxCyclesSchema.optional(),
  })
  .superRefine((component, ctx) => {
    for (const issue of checkBinaryVariant(component)) ctx.addIssue({ code: "custom", ...issue });
  });

export const rankComponentSchema = z
  .strictObject({
    type: z.literal("rank"),
    id: ruleIdSchema,
    volume: volumeKindSchema,
    /** A personally sponsored leg counts as active when its first distributor is active with at least this PV. */
    activeLegMinPersonalVolume: volumePointsSchema,
    /** Lowest rank first; a distributor's paid-as rank is the highest one whose every requirement they meet. */
    ranks: z
      .array(
        z.strictObject({
          id: rankIdSchema,
          personalVolume: volumePointsSchema,
          groupVolume: volumePointsSchema,
          /** At most this share of `groupVolume` may come from one personally sponsored leg (40/40/20 rule). */
          maxLegPercent: percentTextSchema.optional(),
          activeLegs: z.int({ error: "must be a whole number" }).min(0, { error: "must be at least 0" }).max(1_000, { error: "must be at most 1000" }),
        }),
      )
      .min(1, { error: "must list at least one rank" })
      .max(100, { error: "must list at most 100 ranks" }),
  })
  .superRefine((component, ctx) => {
    const seen = new Set<string>();
    component.ranks.forEach((rank, index) => {
      if (seen.has(rank.id)) ctx.addIssue({ code: "custom", path: ["ranks", index, "id"], message: `"${rank.id}" is used twice` });
      seen.add(rank.id);
    });
  });

/**
 * Matching: a percent of what the distributors a member personally enrolled (generation 1), and theirs
 * (generation 2)…, earned in the period from the components listed in `matches`, following the SPONSOR tree.
 * Never on the member's own earnings and never on a matching bonus.
 */
export const matchingComponentSchema = z.strictObject({
  type: z.literal("matching"),
  id: ruleIdSchema,
  matches: z.array(ruleIdSchema).min(1, { error: "must name at least one component whose earnings are matched" }),
  compression: compressionSchema,
  /** Generation g pays `percent` to a matcher whose paid-as rank is at least `minRank` (any rank when absent). */
  generations: z
    .array(z.strictObject({ percent: percentTextSchema, minRank: rankIdSchema.optional() }))
    .min(1, { error: "must list at least generation 1" })
    .max(MAX_MATCHING_GENERATIONS, { error: `must list at most ${MAX_MATCHING_GENERATIONS} generations` }),
  /**
   * Generational counting: a generation runs down to and including the first distributor of at least this
   * paid-as rank on each line; below them the next generation starts. Without it a generation is one level.
   */
  generationEndsAtRank: rankIdSchema.optional(),
});

/** A one-time bonus the first time a distributor reaches a rank (highest rank ever), per rank. */
export const rankAdvancementComponentSchema = z.strictObject({
  type: z.literal("rank_advancement"),
  id: ruleIdSchema,
  currency: currencySchema,
  bonuses: z.record(rankIdSchema, minorUnitsTextSchema),
});

export type BinaryComponent = z.infer<typeof binaryComponentSchema>;
export type RankComponent = z.infer<typeof rankComponentSchema>;
export type RankDefinition = RankComponent["ranks"][number];
export type MatchingComponent = z.infer<typeof matchingComponentSchema>;
export type RankAdvancementComponent = z.infer<typeof rankAdvancementComponentSchema>;
