/**
 * A payouts worker process for the stuck-run test: executes one run with the product's executor and, right after
 * the provider answered and before anything of the answer is recorded, says so and hangs, to be SIGKILLed there.
 *   node --import tsx test/payouts/execute-then-hang.ts <shopId> <runId>   (providers from the environment)
 */
import { db } from "~/db.server";
import { executePayoutRun } from "~/services/payouts/execute.server";
import { providersFromEnv } from "~/services/payouts/providers/index.server";

const [shopId, runId] = process.argv.slice(2);
if (!shopId || !runId) throw new Error("usage: execute-then-hang.ts <shopId> <runId>");
await executePayoutRun(db(), shopId, runId, providersFromEnv(), {
  afterProviderCall: async (method, outcomes) => {
    process.stdout.write(`PROVIDER_ANSWERED ${method} ${outcomes.map((o) => `${o.itemId}:${o.state}`).join(",")}\n`);
    await new Promise(() => {});
  },
});
process.stdout.write("EXECUTED\n");
