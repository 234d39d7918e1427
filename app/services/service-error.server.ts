/**
 * A service's refusal with a stable `code`, so the one error table (services/http/error-map.server.ts) maps it
 * to problem+json without parsing messages. Each area names its own subclass and codes.
 */
export abstract class ServiceError<Code extends string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
  }
}
