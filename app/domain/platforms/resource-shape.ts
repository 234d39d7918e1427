/**
 * The platforms sign a delivery's body but not its topic header, so a captured order or refund body can be
 * replayed under a customer topic. The customer normalizers need little more than an `id`, so such a body
 * would enroll a customer who never signed up (with the order's id and buyer email). Each customer normalizer
 * therefore refuses a body carrying the fields that only its platform's orders and refunds have.
 */
import type { Fields } from "./fields";

export function refuseForeignResource(entity: Fields, expected: string, foreignKeys: readonly string[]): void {
  const foreign = foreignKeys.find((key) => entity.has(key));
  if (foreign !== undefined) entity.fail(foreign, `belongs to an order or refund, not a ${expected}: the delivery's topic does not match its body`);
}
