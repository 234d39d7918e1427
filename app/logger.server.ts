import pino from "pino";

// pino: structured JSON logs at a fraction of console's cost on the ingest hot path. Secrets and raw bodies are
// redacted by path so a careless log line cannot leak a webhook secret or a customer's address.
export const logger = pino({
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
});

export type Logger = typeof logger;
