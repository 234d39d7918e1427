/**
 * Which inbox events a merchant may replay, and why not the others. Replaying is for events that did not get
 * done and could get done now (after an outage, a fix, a killed worker): offering it for a body that can never
 * be processed would only fail again, and for a processed one would suggest it could be doubled (it cannot,
 * processing is idempotent, but the button would lie).
 */

export type InboxStatus = "pending" | "processing" | "processed" | "failed" | "dead" | "rejected" | "ignored";

/** The worker's mark of a body no retry can fix (process-event.server.ts): the same bytes fail the same way. */
export const INVALID_PAYLOAD_PREFIX = "invalid payload:";

/** Not done minutes after it arrived: its job was lost or its worker died (the server refuses a live claim). */
export const STUCK_AFTER_MS = 5 * 60_000;

export interface ReplayCandidate {
  readonly status: InboxStatus;
  readonly lastError: string | null;
  readonly receivedAt: Date;
}

export type ReplayVerdict = { readonly replayable: true } | { readonly replayable: false; readonly reason: string };

export function replayVerdict(event: ReplayCandidate, now: Date): ReplayVerdict {
  switch (event.status) {
    case "failed":
      return { replayable: true };
    case "dead":
      return event.lastError?.startsWith(INVALID_PAYLOAD_PREFIX)
        ? { replayable: false, reason: "The payload can never be processed: the platform has to send a corrected one." }
        : { replayable: true };
    case "pending":
    case "processing":
      return now.getTime() - event.receivedAt.getTime() > STUCK_AFTER_MS
        ? { replayable: true }
        : { replayable: false, reason: "A worker is on it: replay is offered once it has waited 5 minutes." };
    case "rejected":
      return { replayable: false, reason: "Refused at the door (signature, shop or body): only the platform can send it again." };
    case "processed":
    case "ignored":
      return { replayable: false, reason: "Already processed." };
  }
}
