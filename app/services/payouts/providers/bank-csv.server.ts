/**
 * Bank transfer through the run's CSV file: nothing to call. Items wait (submitted) in the export until the
 * merchant imports the bank's confirmation or marks them paid one by one.
 */
import type { PayoutProvider } from "./types";

export const bankCsvProvider: PayoutProvider = {
  method: "bank",
  polls: false,
  async pay(_run, items) {
    return items.map((item) => ({ itemId: item.id, state: "in_flight" as const }));
  },
};
