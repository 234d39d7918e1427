import pino from "pino";

// pino: structured JSON logs at a fraction of console's cost on the ingest hot path. Secrets and raw bodies are
// redacted by path so a careless log line cannot leak a webhook secret or a customer's address.
// Written asynchronously: each delivery logs a line (its inbox event id), and a synchronous write is a system
// call on the request's path (measured ~7 % of the web's CPU at saturation). Lines logged while a write is in
// flight go out together in the next one; pino flushes what is left when the process exits (a SIGKILL can
// lose the last few lines, never an event: the inbox row is the record).
export const logger = pino(
  {
    level: process.env.LOG_LEVEL ?? "info",
    base: { service: process.env.UPLINE_PROCESS ?? "upline" },
    redact: {
      paths: [
        "*.webhookSecret",
        "*.restConsumerSecret",
        "*.accessToken",
        "*.authorization",
        "*.rawBody",
        "headers.authorization",
        // Payout destinations (payout methods and items) and provider credentials.
        "*.details",
        "*.destination",
        "*.clientSecret",
        "*.secretKey",
        "*.iban",
        "*.accountNumber",
        "*.paypal_email",
      ],
      censor: "[redacted]",
    },
  },
  pino.destination({ dest: 1, sync: false }),
);

export type Logger = typeof logger;
