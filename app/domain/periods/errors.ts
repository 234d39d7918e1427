import { FieldInputError } from "../field-input-error";

/** Period-close input that cannot give a trustworthy result (a loop in a tree, a slot taken twice). `field` names it. */
export class PeriodInputError extends FieldInputError {
  override name = "PeriodInputError";
}
