/** `npm start`: Upline on DATABASE_URL or the embedded database, web and workers, until SIGINT/SIGTERM. */
import { exitOnStartupError, launch, loadDotEnv, superviseUntilSignal } from "./launcher";

const log = (line: string) => process.stdout.write(`upline: ${line}\n`);

loadDotEnv();
try {
  const launched = await launch({ env: process.env, build: process.env.UPLINE_SKIP_BUILD !== "1", log });
  log(`ready on http://localhost:${launched.port} (health: /healthz)`);
  superviseUntilSignal(launched, log);
} catch (error) {
  exitOnStartupError(error);
}
