import { FieldInputError } from "../field-input-error";

/**
 * Thrown when the engine is handed input that cannot produce a trustworthy result (a duplicate order line,
 * a cycle in the upline, a mapping to a class that does not exist). `field` is the path of the offending value,
 * so the service can store it next to the order and a person can fix the data.
 */
export class EngineInputError extends FieldInputError {
  override name = "EngineInputError";
}
