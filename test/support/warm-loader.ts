import { spawnSync } from "node:child_process";
import * as path from "node:path";

/**
 * vitest's globalSetup: fills stacks/loader.cjs's transpile cache once, before any test starts
 * the offline commands. Without it, after an edit (or on a fresh clone) every CLI process
 * started side by side would load TypeScript and transpile the same files itself.
 */
export default function warmLoader(): void {
  const r = spawnSync(process.execPath, [path.resolve(__dirname, "..", "..", "stacks", "loader.cjs")], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`stacks/loader.cjs could not fill its cache:\n${r.stderr}`);
}
