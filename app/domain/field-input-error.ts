/**
 * Input refused because of one value: `field` is the path of the offending value, so a service can store it
 * next to the record and a person can fix the data. Each area names its own subclass.
 */
export abstract class FieldInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
