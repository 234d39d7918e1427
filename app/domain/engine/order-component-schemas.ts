/**
 * Schemas of the components paid per order, as the order is evaluated: unilevel (with its rank-based options),
 * forced matrix and fast-start. Each pays rates per level up a chain; they differ in which chain and when.
 */
import { z } from "zod";
import {
  classIdSchema,
  compressionSchema,
  levelCountSchema,
  levelRatesSchema,
  percentTextSchema,
  rankIdSchema,
  rateSchema,
  ruleIdSchema,
} from "./schema-atoms";

/** Deep enough for any published unilevel (5–10 levels are typical, vendors cap at 20) with headroom. */
export const MAX_UNILEVEL_DEPTH = 50;
/** Published matrices run 2×12 … 5×7; this is headroom, not a recommendation. */
export const MAX_MATRIX_DEPTH = 20;
export const MAX_MATRIX_WIDTH = 20;
/** Fast-start bonuses pay the first few enrollers (doTERRA pays 3). */
export const MAX_FAST_START_LEVELS = 10;

const depthSchema = (max: number) =>
  z
    .int({ error: "must be a whole number" })
    .min(0, { error: "must be at least 0" })
    .max(max, { error: `must be at most ${max}` });

export const unilevelComponentSchema = z
  .strictObject({
    type: z.literal("unilevel"),
    id: ruleIdSchema,
    /** How many levels are paid. */
    maxDepth: levelCountSchema(MAX_UNILEVEL_DEPTH),
    /**
     * "dynamic": an upline who is not active is skipped and does not use up a level, so the level goes to the
     * next active upline. "none": every upline holds their level; a level whose holder is not active is breakage.
     */
    compression: compressionSchema,
    /** Per commission class, the rate of level 1, 2, 3…. Exactly one of `rates` and `differential`. */
    rates: levelRatesSchema.optional(),
    /**
     * Rank-based depth: the holder of level L is paid only if L ≤ the depth of their paid-as rank (`unranked`
     * when they have none). A level its holder is not qualified for is breakage ("Standard" in
     * mlmsoftwaremanual.com's Dynamic Compression Option): it does not roll up.
     */
    rankDepth: z.strictObject({ byRank: z.record(rankIdSchema, depthSchema(MAX_UNILEVEL_DEPTH)), unranked: depthSchema(MAX_UNILEVEL_DEPTH) }).optional(),
    /**
     * Differential unilevel: per class, a percent per paid-as rank. Walking up from level 1, each active holder
     * earns their rank's percent minus the highest percent already earned below them on that line; a holder
     * not active or not above that rate earns nothing and the difference rolls up (docs.be-infinity.com
     * unilevel-bonus).
     */
    differential: z.strictObject({ rates: z.record(classIdSchema, z.record(rankIdSchema, percentTextSchema)) }).optional(),
  })
  .superRefine((component, ctx) => {
    if ((component.rates === undefined) === (component.differential === undefined)) {
      ctx.addIssue({ code: "custom", path: ["rates"], message: 'exactly one of "rates" and "differential" must be given' });
    }
    for (const [classId, levels] of Object.entries(component.rates ?? {})) {
      if (levels.length > component.maxDepth) {
        ctx.addIssue({ code: "custom", path: ["rates", classId], message: `lists ${levels.length} levels but maxDepth is ${component.maxDepth}` });
      }
    }
    for (const [rankId, depth] of Object.entries(component.rankDepth?.byRank ?? {})) {
      if (depth > component.maxDepth) {
        ctx.addIssue({ code: "custom", path: ["rankDepth", "byRank", rankId], message: `is ${depth} but maxDepth is ${component.maxDepth}` });
      }
    }
  });

/**
 * Forced matrix: `width` × `depth`, recruits placed breadth-first left to right (genealogy/matrix-placement.ts
 * reads width and depth from here), per-level rates paid up the PLACEMENT chain. The sponsor stays the enroller
 * for every sponsor-based bonus.
 */
export const matrixComponentSchema = z
  .strictObject({
    type: z.literal("matrix"),
    id: ruleIdSchema,
    width: levelCountSchema(MAX_MATRIX_WIDTH),
    depth: levelCountSchema(MAX_MATRIX_DEPTH),
    compression: compressionSchema,
    rates: levelRatesSchema,
  })
  .superRefine((component, ctx) => {
    for (const [classId, levels] of Object.entries(component.rates)) {
      if (levels.length > component.depth) {
        ctx.addIssue({ code: "custom", path: ["rates", classId], message: `lists ${levels.length} levels but depth is ${component.depth}` });
      }
    }
  });

/**
 * Fast-start: on the orders a new distributor places (the buyer is the recruit) during `windowDays` after
 * their enrollment, rates per sponsor level: level 1 is the recruit's enroller. doTERRA pays 20/10/5 for 60
 * days without compression.
 */
export const fastStartComponentSchema = z.strictObject({
  type: z.literal("fast_start"),
  id: ruleIdSchema,
  windowDays: z.int({ error: "must be a whole number of days" }).min(1, { error: "must be at least 1" }).max(3_650, { error: "must be at most 3650" }),
  compression: compressionSchema,
  rates: z.record(
    classIdSchema,
    z
      .array(rateSchema)
      .min(1, { error: "must list at least the level 1 rate" })
      .max(MAX_FAST_START_LEVELS, { error: `must list at most ${MAX_FAST_START_LEVELS} levels` }),
  ),
});

export type UnilevelComponent = z.infer<typeof unilevelComponentSchema>;
export type MatrixComponent = z.infer<typeof matrixComponentSchema>;
export type FastStartComponent = z.infer<typeof fastStartComponentSchema>;
