/**
 * The binary variants of issue 11 as schema atoms (used by period-component-schemas.ts): what a binary pays on,
 * and a maximum number of cycles per period. The pairing itself is app/domain/periods/binary-variants.ts.
 */
import { z } from "zod";

export const binaryBasisSchema = z.enum(["weak_leg", "strong_minus_weak"], { error: 'must be "weak_leg" or "strong_minus_weak"' });

export const maxCyclesSchema = z
  .int({ error: "must be a whole number of cycles" })
  .min(1, { error: "must be at least 1" })
  .max(1_000_000, { error: "must be at most 1000000" });

/** Paying on the difference has no pairs to balance, so the 1:2 / 2:1 first-pair rule cannot apply to it. */
export function checkBinaryVariant(component: { readonly basis?: string | undefined; readonly firstPair: string }): { path: PropertyKey[]; message: string }[] {
  if (component.basis === "strong_minus_weak" && component.firstPair !== "1:1") {
    return [{ path: ["firstPair"], message: 'must be "1:1" when basis is "strong_minus_weak"' }];
  }
  return [];
}
