/** Period-close input that cannot give a trustworthy result (a loop in a tree, a slot taken twice). `field` names it. */
export class PeriodInputError extends Error {
  override name = "PeriodInputError";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
